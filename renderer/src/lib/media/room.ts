// The options every Parley Room is created and connected with: adaptive stream, dynacast, and the
// camera/microphone/screen defaults from their own modules.
import {
  DefaultReconnectPolicy,
  type E2EEOptions,
  type RoomConnectOptions,
  type RoomOptions,
  type TrackPublishDefaults,
} from 'livekit-client';
import { cameraCaptureOptions, cameraPublishOptions } from './camera';
import { audioCaptureOptions, audioPublishOptions, type AudioProcessingSettings } from './microphone';
import { SCREEN_SHARE_PROFILES } from './screen-share';

/** Publish defaults: any track published without explicit options still follows our choices. */
export function publishDefaults(): TrackPublishDefaults {
  const cam = cameraPublishOptions();
  const audio = audioPublishOptions();
  return {
    ...cam,
    ...audio,
    screenShareEncoding: { ...SCREEN_SHARE_PROFILES.text.encoding },
    // Camera-only: its own backup codec makes no sense (VP8 is already the fallback).
    backupCodec: false,
  };
}

/**
 * LiveKit resumes a dropped connection for a few seconds only (its default keeps trying the same
 * node for about 40 s). When the node itself is gone (drained and stopped, or crashed) those tries
 * cannot succeed; the app then joins again through the team server, which hands out a node that
 * answers (state/app.svelte.ts#rejoinAfterDrop). A short network blip still resumes in place.
 */
export const RECONNECT_DELAYS_MS = [0, 300, 1_200] as const;

export interface CreateRoomOptionsInput {
  /** From `createE2eeSetup(...)`; omit for an unencrypted room. */
  e2ee?: { roomOptions: E2EEOptions };
  audio?: Partial<AudioProcessingSettings>;
  /** The camera to start when the person turns it on in the call (the one chosen before joining). */
  videoDeviceId?: string;
}

export function createRoomOptions(input: CreateRoomOptionsInput = {}): RoomOptions {
  return {
    // Each subscription gets the layer that fits the biggest element it is attached to; a track
    // attached only to hidden elements is paused by the SFU.
    adaptiveStream: { pixelDensity: 'screen', pauseVideoInBackground: true },
    // Layers no subscriber asked for stop being encoded.
    dynacast: true,
    videoCaptureDefaults: cameraCaptureOptions(input.videoDeviceId),
    audioCaptureDefaults: audioCaptureOptions(input.audio),
    publishDefaults: publishDefaults(),
    reconnectPolicy: new DefaultReconnectPolicy([...RECONNECT_DELAYS_MS]),
    ...(input.e2ee ? { encryption: input.e2ee.roomOptions } : {}),
  };
}

export const connectOptions: RoomConnectOptions = Object.freeze({
  autoSubscribe: true,
  // Let the SFU pause whole video tracks (audio keeps flowing) when a subscriber's link is so thin
  // that even the lowest layer does not fit.
  subscriberAllowPause: true,
});
