// The seam between LiveKit and Parley's meeting state: everything the meeting view reads from or
// does to a Room. The real one wraps a connected Room; tests pass a fake.
import { LocalVideoTrack, Room, RoomEvent, Track, type LocalTrack } from 'livekit-client';
import {
  advertiseCodecSupport,
  loadBackgroundEffect,
  saveBackgroundEffect,
  setBackgroundEffect,
  watchDecryption,
  watchEncrypted,
  type BackgroundEffect,
  type DecryptionProblem,
  type E2eeSetup,
} from '../media';
import { observeConnection } from './connection';
import { onChat, onReaction, sendChat, sendReaction } from './data';
import { Hands } from './hands';
import { observeActiveDevice, observeDevices, type DeviceKind, type DeviceOption } from './devices';
import { observeParticipants } from './participants';
import {
  audioPublishOptions,
  cameraPublishOptions,
  connectOptions,
  roomOptions,
  screenShareOptions,
  type ScreenShareMode,
} from './room-options';
import { observeStats, type StatsSample } from './stats';
import type { Subscribable, Unsubscribe } from './subscribable';
import type { ChatMessage, ConnectionStatus, ParticipantSnapshot, Reaction, ReactionEmoji } from './types';

export interface MeetingSource {
  readonly participants: Subscribable<ParticipantSnapshot[]>;
  readonly connection: Subscribable<ConnectionStatus>;
  readonly stats: Subscribable<StatsSample>;
  devices(kind: DeviceKind): Subscribable<DeviceOption[]>;
  activeDevice(kind: DeviceKind): Subscribable<string | undefined>;
  onChat(handler: (message: ChatMessage) => void): Unsubscribe;
  onReaction(handler: (reaction: Reaction) => void): Unsubscribe;
  sendChat(text: string): Promise<ChatMessage>;
  sendReaction(emoji: ReactionEmoji): Promise<Reaction>;
  setHandRaised(raised: boolean): Promise<void>;
  setMicrophone(enabled: boolean): Promise<void>;
  setCamera(enabled: boolean): Promise<void>;
  /** `mode` picks text (sharp, 5 fps) or motion (30 fps) capture and encoding for a new share. */
  setScreenShare(enabled: boolean, mode?: ScreenShareMode): Promise<void>;
  switchDevice(kind: DeviceKind, deviceId: string): Promise<void>;
  /** Browsers block audio until a click; true when the page needs one. */
  readonly audioBlocked: Subscribable<boolean>;
  startAudio(): Promise<void>;
  /** True once our media is end-to-end encrypted. */
  readonly encrypted: Subscribable<boolean>;
  onDecryptionProblem(handler: (problem: DecryptionProblem) => void): Unsubscribe;
  /** Background blur / virtual background on the published camera (the media module's effects). */
  setBackgroundEffect(effect: BackgroundEffect): Promise<{ ok: true } | { ok: false; message: string }>;
  backgroundEffect(): BackgroundEffect;
  leave(): Promise<void>;
}

function effectStore(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

export function storedBackgroundEffect(): BackgroundEffect {
  const store = effectStore();
  return store ? loadBackgroundEffect(store) : { kind: 'none' };
}

export function rememberBackgroundEffect(effect: BackgroundEffect): void {
  const store = effectStore();
  if (store) saveBackgroundEffect(store, effect);
}

export interface JoinCredentials {
  url: string;
  token: string;
}

export interface JoinMedia {
  /** Tracks from the pre-join preview, published as they are (no second camera prompt). */
  tracks: LocalTrack[];
  audioOutputId: string | null;
  e2ee: E2eeSetup | null;
}

export interface ConnectedRoom {
  room: Room;
  hands: Hands;
}

/** Creates the Room (with the media module's options) and connects it. */
export async function connectRoom(creds: JoinCredentials, media: JoinMedia): Promise<ConnectedRoom> {
  const room = new Room(roomOptions(media.e2ee));
  // livekit-client polls receiver.getStats() every 2 s for each remote track, only to fill
  // track.currentBitrate, which Parley never reads (observeStats samples once per connection): in a
  // 25-tile grid that was ~48 full stats reports per 2 s on the main thread. Tracks start that
  // monitor just before TrackSubscribed, so stop it there.
  room.on(RoomEvent.TrackSubscribed, (track) => track.stopMonitor());
  const hands = new Hands(room);
  hands.start();
  room.once(RoomEvent.Disconnected, () => hands.stop());
  try {
    // Encryption is on before the first frame can leave (the media module's contract).
    if (media.e2ee) await media.e2ee.enable(room);
    await room.connect(creds.url, creds.token, connectOptions());
  } catch (err) {
    // A failed connect must not leave a half-set-up Room (or an E2EE worker) behind.
    await room.disconnect();
    hands.stop();
    media.e2ee?.dispose();
    throw err;
  }
  if (media.e2ee) {
    const e2ee = media.e2ee;
    room.once(RoomEvent.Disconnected, () => e2ee.dispose());
  }
  if (media.audioOutputId) void room.switchActiveDevice('audiooutput', media.audioOutputId).catch(() => undefined);
  // The media module's codec advertisement. Needs canUpdateOwnMetadata, which the team server does
  // not grant today; without it sharers fall back to VP8 for everyone, so this is best effort.
  if (room.localParticipant.permissions?.canUpdateMetadata) void advertiseCodecSupport(room);
  for (const track of media.tracks) {
    const video = track.kind === Track.Kind.Video;
    await room.localParticipant.publishTrack(track, {
      ...(video ? cameraPublishOptions() : audioPublishOptions()),
      source: video ? Track.Source.Camera : Track.Source.Microphone,
    });
  }
  return { room, hands };
}

export function roomSource({ room, hands }: ConnectedRoom): MeetingSource {
  return {
    participants: observeParticipants(room, hands),
    connection: observeConnection(room),
    stats: observeStats(room),
    devices: (kind) => observeDevices(kind),
    activeDevice: (kind) => observeActiveDevice(room, kind),
    onChat: (handler) => onChat(room, handler),
    onReaction: (handler) => onReaction(room, handler),
    sendChat: (text) => sendChat(room, text),
    sendReaction: (emoji) => sendReaction(room, emoji),
    setHandRaised: (raised) => hands.set(raised),
    async setMicrophone(enabled) {
      await room.localParticipant.setMicrophoneEnabled(enabled);
    },
    async setCamera(enabled) {
      const pub = await room.localParticipant.setCameraEnabled(enabled);
      // A camera first started mid-call gets the remembered background effect too.
      const track = pub?.track;
      if (enabled && track instanceof LocalVideoTrack && !track.getProcessor()) {
        const effect = storedBackgroundEffect();
        if (effect.kind !== 'none') await setBackgroundEffect(track, effect);
      }
    },
    async setScreenShare(enabled, mode = 'text') {
      const opts = screenShareOptions(room, mode);
      await room.localParticipant.setScreenShareEnabled(enabled, opts.capture, opts.publish);
    },
    async switchDevice(kind, deviceId) {
      await room.switchActiveDevice(kind, deviceId);
    },
    audioBlocked: {
      subscribe(run) {
        const emit = (): void => run(!room.canPlaybackAudio);
        room.on(RoomEvent.AudioPlaybackStatusChanged, emit);
        emit();
        return () => {
          room.off(RoomEvent.AudioPlaybackStatusChanged, emit);
        };
      },
    },
    startAudio: () => room.startAudio(),
    encrypted: { subscribe: (run) => watchEncrypted(room, run) },
    onDecryptionProblem: (handler) => watchDecryption(room, handler),
    async setBackgroundEffect(effect) {
      rememberBackgroundEffect(effect);
      const track = room.localParticipant.getTrackPublication(Track.Source.Camera)?.track;
      if (!(track instanceof LocalVideoTrack)) return { ok: true };
      const result = await setBackgroundEffect(track, effect);
      if (!result.ok) rememberBackgroundEffect({ kind: 'none' });
      return result.ok ? { ok: true } : { ok: false, message: result.message };
    },
    backgroundEffect: () => storedBackgroundEffect(),
    async leave() {
      await room.disconnect();
    },
  };
}
