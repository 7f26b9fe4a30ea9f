// What Parley asks the camera for and how it publishes it. The reason for each number is in
// docs/media.md; the comments here say only what would break if it changed. Pure (no DOM, no
// network): unit-tested in Node (test/unit/media/media-options.test.ts).
import {
  VideoPresets,
  type TrackPublishOptions,
  type VideoCaptureOptions,
  type VideoCodec,
  type VideoEncoding,
  type VideoResolution,
} from 'livekit-client';

/** What we ask the camera for. 720p is the top simulcast layer; the two below are derived from it. */
const CAMERA_RESOLUTION: VideoResolution = { width: 1280, height: 720, frameRate: 30 };

/** Top layer encoding: LiveKit's 720p preset (1.7 Mbps, 30 fps). */
const CAMERA_TOP_ENCODING: VideoEncoding = VideoPresets.h720.encoding;

/**
 * The two lower simulcast layers (the capture resolution is the third). Ordered low to high as
 * livekit-client expects. 320x180 fills a thumbnail, 640x360 a grid tile.
 */
const CAMERA_SIMULCAST_LAYERS = [VideoPresets.h180, VideoPresets.h360];

/** VP8: every Chromium decodes it, it simulcasts, and its software encoder is the cheapest. */
const CAMERA_CODEC: VideoCodec = 'vp8';

export function cameraCaptureOptions(deviceId?: string): VideoCaptureOptions {
  return {
    resolution: { ...CAMERA_RESOLUTION },
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  };
}

export function cameraPublishOptions(): TrackPublishOptions {
  return {
    videoCodec: CAMERA_CODEC,
    simulcast: true,
    videoSimulcastLayers: [...CAMERA_SIMULCAST_LAYERS],
    videoEncoding: { ...CAMERA_TOP_ENCODING },
    // On a weak uplink keep faces moving rather than sharp.
    degradationPreference: 'maintain-framerate',
  };
}
