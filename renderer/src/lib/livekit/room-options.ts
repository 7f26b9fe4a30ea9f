// THE one place a Parley Room gets its media configuration: everything is delegated to the media
// engineer's module (renderer/src/lib/media), which owns simulcast, dynacast, DTX/RED, screen-share
// encoding, effects and E2EE. This file only adapts it to the Room we create.
import type { Room, RoomConnectOptions, RoomOptions, ScreenShareCaptureOptions, TrackPublishOptions } from 'livekit-client';
import {
  audioCaptureOptions,
  audioPublishOptions,
  cameraCaptureOptions,
  cameraPublishOptions,
  CODEC_SUPPORT_ATTRIBUTE,
  connectOptions as mediaConnectOptions,
  createRoomOptions,
  screenShareCaptureOptions,
  screenShareCodecInput,
  screenSharePublishOptions,
  type E2eeSetup,
} from '../media';

export { audioCaptureOptions, audioPublishOptions, cameraCaptureOptions, cameraPublishOptions, CODEC_SUPPORT_ATTRIBUTE };

export function roomOptions(e2ee: E2eeSetup | null = null): RoomOptions {
  return createRoomOptions(e2ee ? { e2ee } : {});
}

export function connectOptions(): RoomConnectOptions {
  return { ...mediaConnectOptions };
}

export type ScreenShareMode = 'text' | 'motion';

/**
 * `local` is what this browser ENCODES (a decoder-only codec must never be chosen for our own
 * share); `remotes` is what each participant advertised it decodes.
 */
export function screenShareOptions(
  room: Room,
  mode: ScreenShareMode = 'text',
): { capture: ScreenShareCaptureOptions; publish: TrackPublishOptions } {
  return {
    capture: screenShareCaptureOptions(mode),
    publish: screenSharePublishOptions(mode, screenShareCodecInput(room)),
  };
}
