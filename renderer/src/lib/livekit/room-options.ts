// THE one place a Parley Room gets its media configuration: everything is delegated to the media
// engineer's module (renderer/src/lib/media), which owns simulcast, dynacast, DTX/RED, screen-share
// encoding, effects and E2EE. This file only adapts it to the Room we create.
import type { Room, RoomConnectOptions, RoomOptions, ScreenShareCaptureOptions, TrackPublishOptions, VideoCodec } from 'livekit-client';
import {
  audioCaptureOptions,
  audioPublishOptions,
  cameraCaptureOptions,
  cameraPublishOptions,
  CODEC_SUPPORT_ATTRIBUTE,
  codecsFromMimeTypes,
  connectOptions as mediaConnectOptions,
  createRoomOptions,
  encodeCodecSupport,
  parseCodecSupport,
  screenShareCaptureOptions,
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

/** Video codecs this browser decodes; advertised as an attribute so sharers pick one everyone can. */
export function localCodecSupport(): Set<VideoCodec> {
  const caps = typeof RTCRtpReceiver !== 'undefined' ? RTCRtpReceiver.getCapabilities?.('video') : null;
  return codecsFromMimeTypes(caps?.codecs.map((c) => c.mimeType) ?? ['video/VP8']);
}

export function codecSupportAttribute(): Record<string, string> {
  return { [CODEC_SUPPORT_ATTRIBUTE]: encodeCodecSupport(localCodecSupport()) };
}

export function screenShareOptions(room: Room): { capture: ScreenShareCaptureOptions; publish: TrackPublishOptions } {
  const remotes = [...room.remoteParticipants.values()].map((p) => parseCodecSupport(p.attributes[CODEC_SUPPORT_ATTRIBUTE]));
  return {
    capture: screenShareCaptureOptions('text'),
    publish: screenSharePublishOptions('text', { local: localCodecSupport(), remotes }),
  };
}
