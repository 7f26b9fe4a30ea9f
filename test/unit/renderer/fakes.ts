// A scripted MeetingSource and HostPort: the meeting state and components are tested against
// these, with plain snapshots instead of a LiveKit Room.
import { vi } from 'vitest';
import type { LobbyEntry } from '@contracts/api';
import type { DeviceKind, DeviceOption } from '@renderer/lib/livekit/devices';
import type { MeetingSource } from '@renderer/lib/livekit/meeting-source';
import type { DecryptionProblem } from '@renderer/lib/media/decryption-problems';
import { EMPTY_SAMPLE, type StatsSample } from '@renderer/lib/livekit/stats-sampler';
import { writable } from '@renderer/lib/livekit/subscribable';
import type { ChatMessage, ConnectionStatus, ParticipantSnapshot, Reaction } from '@renderer/lib/livekit/types';
import type { HostPort } from '@renderer/lib/state/meeting.svelte';

export function person(identity: string, over: Partial<ParticipantSnapshot> = {}): ParticipantSnapshot {
  return {
    identity,
    name: identity[0]!.toUpperCase() + identity.slice(1),
    role: 'member',
    isLocal: false,
    joinedAt: 1,
    micEnabled: true,
    cameraEnabled: false,
    speaking: false,
    handRaisedAt: null,
    cameraTrack: null,
    micTrack: null,
    screenTrack: null,
    screenAudioTrack: null,
    canShareScreen: true,
    ...over,
  };
}

/** A stand-in for a LiveKit track: only its identity matters to layout code. */
export const fakeTrack = (sid: string) =>
  ({ sid, attach: vi.fn(), detach: vi.fn() }) as unknown as NonNullable<ParticipantSnapshot['screenTrack']>;

export function fakeSource(initial: ParticipantSnapshot[]) {
  const participants = writable(initial);
  const connection = writable<ConnectionStatus>({ phase: 'connected', endReason: null });
  const stats = writable<StatsSample>(EMPTY_SAMPLE);
  const audioBlocked = writable(false);
  const encrypted = writable(false);
  const recording = writable(false);
  const chatHandlers = new Set<(m: ChatMessage) => void>();
  const reactionHandlers = new Set<(r: Reaction) => void>();
  const decryptionHandlers = new Set<(p: DecryptionProblem) => void>();
  const devices: Record<DeviceKind, ReturnType<typeof writable<DeviceOption[]>>> = {
    audioinput: writable([{ deviceId: 'default', label: 'Built-in microphone' }]),
    videoinput: writable([{ deviceId: 'cam1', label: 'FaceTime camera' }]),
    audiooutput: writable([]),
  };
  const update = (identity: string, patch: Partial<ParticipantSnapshot>) =>
    participants.set(participants.get().map((p) => (p.identity === identity ? { ...p, ...patch } : p)));
  const local = () => participants.get().find((p) => p.isLocal)!;

  const source = {
    participants,
    connection,
    stats,
    audioBlocked,
    encrypted,
    recording,
    devices: (kind: DeviceKind) => devices[kind],
    activeDevice: () => writable<string | undefined>(undefined),
    onChat: (h: (m: ChatMessage) => void) => (chatHandlers.add(h), () => chatHandlers.delete(h)),
    onReaction: (h: (r: Reaction) => void) => (reactionHandlers.add(h), () => reactionHandlers.delete(h)),
    onDecryptionProblem: (h: (p: DecryptionProblem) => void) => (decryptionHandlers.add(h), () => decryptionHandlers.delete(h)),
    sendChat: vi.fn(async (text: string): Promise<ChatMessage> => ({
      id: `m-${text}`,
      fromIdentity: local().identity,
      fromName: local().name,
      text,
      at: Date.now(),
      local: true,
    })),
    sendReaction: vi.fn(async (emoji): Promise<Reaction> => ({
      id: `r-${emoji}`,
      fromIdentity: local().identity,
      fromName: local().name,
      emoji,
      at: Date.now(),
    })),
    setHandRaised: vi.fn(async (raised: boolean) => update(local().identity, { handRaisedAt: raised ? Date.now() : null })),
    setMicrophone: vi.fn(async (on: boolean) => update(local().identity, { micEnabled: on })),
    setCamera: vi.fn(async (on: boolean) => update(local().identity, { cameraEnabled: on })),
    setScreenShare: vi.fn(async (on: boolean) => update(local().identity, { screenTrack: on ? fakeTrack('screen') : null })),
    switchDevice: vi.fn(async () => undefined),
    startAudio: vi.fn(async () => undefined),
    setBackgroundEffect: vi.fn(async () => ({ ok: true as const })),
    backgroundEffect: () => ({ kind: 'none' as const }),
    leave: vi.fn(async () => undefined),
  } satisfies MeetingSource;

  return {
    source,
    participants,
    connection,
    stats,
    recording,
    update,
    chat: (m: ChatMessage) => chatHandlers.forEach((h) => h(m)),
    react: (r: Reaction) => reactionHandlers.forEach((h) => h(r)),
    decryptionProblem: (p: DecryptionProblem) => decryptionHandlers.forEach((h) => h(p)),
  };
}

export function fakeHost(lobby: LobbyEntry[] = []) {
  const watchers = new Set<(w: LobbyEntry[]) => void>();
  let waiting = lobby;
  const host = {
    mute: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    setLocked: vi.fn(async () => undefined),
    end: vi.fn(async () => undefined),
    admit: vi.fn(async () => undefined),
    deny: vi.fn(async () => undefined),
    isLocked: vi.fn(async () => false),
    startRecording: vi.fn(async () => undefined),
    stopRecording: vi.fn(async () => undefined),
    watchLobby: (run: (w: LobbyEntry[]) => void) => {
      watchers.add(run);
      run(waiting);
      return () => watchers.delete(run);
    },
  } satisfies HostPort;
  return {
    host,
    setLobby(next: LobbyEntry[]) {
      waiting = next;
      watchers.forEach((w) => w(next));
    },
  };
}

export const INFO = { room: 'standup', title: 'Standup', serverUrl: 'https://meet.example.com' };
