// The seam between LiveKit and Parley's meeting state: everything the meeting view reads from or
// does to a Room. The real one wraps a connected Room (connect-room.ts); tests pass a fake.
import { roomAudioPlaybackAllowedObservable } from '@livekit/components-core';
import { LocalVideoTrack, RoomEvent, Track } from 'livekit-client';
import { map } from 'rxjs';
import { rememberBackgroundEffect, rememberedBackgroundEffect, type BackgroundEffect } from '../media/background-effect';
import { setBackgroundEffect } from '../media/background-effect-loader';
import type { DecryptionProblem } from '../media/decryption-problems';
import { watchDecryption, watchEncrypted } from '../media/e2ee';
import { screenShareOptions, type ScreenShareMode } from '../media/screen-share';
import type { ConnectedRoom } from './connect-room';
import { observeConnection } from './connection';
import { observeActiveDevice, observeDevices, type DeviceKind, type DeviceOption } from './devices';
import { observeParticipants } from './participants';
import { onReaction, sendReaction } from './reactions';
import { observeStats, type StatsSample } from './stats-sampler';
import { fromObservable, type Subscribable, type Unsubscribe } from './subscribable';
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
  /** True while the meeting is being recorded (the SFU says so the moment the recorder is in). */
  readonly recording: Subscribable<boolean>;
  /** True once our media is end-to-end encrypted. */
  readonly encrypted: Subscribable<boolean>;
  onDecryptionProblem(handler: (problem: DecryptionProblem) => void): Unsubscribe;
  /** Background blur / virtual background on the published camera (the media module's effects). */
  setBackgroundEffect(effect: BackgroundEffect): Promise<{ ok: true } | { ok: false; message: string }>;
  backgroundEffect(): BackgroundEffect;
  leave(): Promise<void>;
}

export function roomSource({ room, hands, chat, direct }: Omit<ConnectedRoom, 'published'>): MeetingSource {
  return {
    // A direct call changes only where the bytes come from: the same snapshots, the same stats.
    participants: observeParticipants(room, hands, direct),
    connection: observeConnection(room),
    stats: observeStats(room, 2000, {
      get connection() {
        return direct.connection;
      },
      get route() {
        return direct.route;
      },
      trackFor: (identity, source) => direct.directTrackFor(identity, source),
    }),
    devices: (kind) => observeDevices(kind),
    activeDevice: (kind) => observeActiveDevice(room, kind),
    onChat: (handler) => chat.onMessage(handler),
    onReaction: (handler) => onReaction(room, handler),
    sendChat: (text) => chat.send(text),
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
        const effect = rememberedBackgroundEffect();
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
    audioBlocked: fromObservable(roomAudioPlaybackAllowedObservable(room).pipe(map(({ canPlayAudio }) => !canPlayAudio))),
    startAudio: () => room.startAudio(),
    recording: {
      subscribe(run) {
        const changed = (on: boolean) => run(on);
        room.on(RoomEvent.RecordingStatusChanged, changed);
        run(room.isRecording);
        return () => void room.off(RoomEvent.RecordingStatusChanged, changed);
      },
    },
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
    backgroundEffect: () => rememberedBackgroundEffect(),
    async leave() {
      await room.disconnect();
    },
  };
}
