// Asking the team server to join: a member's join token, or a guest's way in, straight away or
// after a host admits them from the lobby.
import type { ApiClient } from '../api/client';
import { deviceTag } from '../api/device-tag';
import type { JoinCredentials } from '../livekit/connect-room';
import type { Problem } from '../problems';
import type { E2eeCredentials } from './join-e2ee';
import type { MeetingInfo } from './meeting.svelte';
import type { JoinTarget } from './screens';

export interface Admitted {
  status: 'admitted';
  creds: JoinCredentials & E2eeCredentials;
  info: MeetingInfo;
  isHost: boolean;
  /** The meeting is being recorded: everyone, member or guest, is asked before entering. */
  recording: boolean;
}

export type JoinAnswer = Admitted | { status: 'waiting'; ticket: string; roomTitle: string };

export const LOBBY_DENIED: Problem = {
  kind: 'lobby-denied',
  title: "The host didn't let you in",
  message: 'Ask the host to admit you, then open the link again.',
};

export async function askToJoin(api: ApiClient, serverUrl: string, target: JoinTarget, guestName: string): Promise<JoinAnswer> {
  if (target.kind === 'member') {
    const res = await api.joinRoom(target.room, { device: deviceTag() });
    return {
      status: 'admitted',
      creds: res,
      info: { room: target.room, title: target.title, serverUrl },
      isHost: res.role === 'host',
      recording: res.recording ?? false,
    };
  }
  const res = await api.guestJoin(target.code, guestName);
  if (res.status !== 'admitted') return { status: 'waiting', ticket: res.ticket, roomTitle: res.roomTitle };
  return {
    status: 'admitted',
    creds: res,
    info: { room: res.room, title: res.roomTitle, serverUrl },
    isHost: false,
    recording: res.recording,
  };
}

/**
 * After a drop, a member asks once more when the team server hands back the SFU node that just
 * dropped the call: it may not have noticed yet that the node is going (a drained node answers its
 * health check until it stops), and with several nodes the next ask gets another one. Guests ask
 * once: every ask spends a use of their link.
 */
export async function askToRejoin(
  api: ApiClient,
  serverUrl: string,
  target: JoinTarget,
  guestName: string,
  droppedUrl: string | null,
): Promise<JoinAnswer> {
  const answer = await askToJoin(api, serverUrl, target, guestName);
  if (!droppedUrl || target.kind !== 'member' || answer.status !== 'admitted' || answer.creds.url !== droppedUrl) return answer;
  return askToJoin(api, serverUrl, target, guestName);
}

/**
 * Long-polls the guest's ticket until a host decides. Resolves with the admission, 'denied', or
 * null when `signal` aborted the wait (the guest cancelled).
 */
export async function waitForAdmission(
  api: ApiClient,
  serverUrl: string,
  ticket: string,
  signal: AbortSignal,
): Promise<Admitted | 'denied' | null> {
  while (!signal.aborted) {
    let status;
    try {
      status = await api.guestTicket(ticket, 25, signal);
    } catch (err) {
      if (signal.aborted) return null;
      throw err;
    }
    if (status.status === 'admitted') {
      return {
        status: 'admitted',
        creds: status,
        info: { room: status.room, title: status.roomTitle, serverUrl },
        isHost: false,
        recording: status.recording,
      };
    }
    if (status.status === 'denied') return 'denied';
  }
  return null;
}
