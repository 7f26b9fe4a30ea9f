// The one place a call reports outward: its state to the desktop shell (tray, menu, global shortcuts
// read it through call.updateState) and notifications for chat, raised hands and lobby guests
// (desktop notifications, or web ones while the tab is hidden).
import type { CallState } from '@contracts/desktop';
import { desktop, notify, reportCallState } from '../desktop';
import type { MeetingEvents, MeetingState } from './meeting.svelte';

/** The room a call is in, as the desktop contract names it. */
export interface CallRoom {
  serverUrl: string;
  room: string;
  title: string;
}

// Written out rather than imported: the contract's runtime half (zod schemas) stays out of the first chunk.
const IDLE: CallState = {
  inCall: false,
  room: null,
  microphoneEnabled: false,
  cameraEnabled: false,
  sharingScreen: false,
  isHost: false,
  rejoinPending: false,
};

export function meetingNotifications(ref: CallRoom): MeetingEvents {
  return {
    chatReceived: (m) =>
      notify(
        { kind: 'chat-message', room: ref, from: m.fromName.slice(0, 100) || 'Someone', text: m.text.slice(0, 4000) },
        m.fromName,
        m.text,
      ),
    handRaised: (p) =>
      notify({ kind: 'hand-raised', room: ref, participantName: p.name.slice(0, 100) || 'Someone' }, `${p.name} raised a hand`, ref.title),
    lobbyGuest: (e) =>
      notify(
        { kind: 'lobby-guest', room: ref, guestName: e.displayName.slice(0, 100) || 'A guest' },
        `${e.displayName} is waiting`,
        `In the lobby of ${ref.title}`,
      ),
  };
}

/**
 * Reports every change of the call until the returned stop, which reports that no call is up, or,
 * for a call that dropped, that it waits to be rejoined (main then arms recoverCall on wake-up or
 * when the network is back).
 */
export function reportCall(meeting: MeetingState, ref: CallRoom): (after?: { rejoinPending: boolean }) => void {
  const stop = $effect.root(() => {
    $effect(() => {
      const local = meeting.local;
      reportCallState({
        inCall: meeting.connection.phase !== 'disconnected',
        room: desktop ? ref : null,
        microphoneEnabled: local?.micEnabled ?? false,
        cameraEnabled: local?.cameraEnabled ?? false,
        sharingScreen: meeting.sharing,
        isHost: meeting.isHost,
        rejoinPending: false,
      });
    });
  });
  return (after) => {
    stop();
    reportCallState(after?.rejoinPending ? { ...IDLE, room: desktop ? ref : null, rejoinPending: true } : IDLE);
  };
}
