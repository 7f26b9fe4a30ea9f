// Screen share: text or motion capture, and the codec every participant can decode. Pure apart
// from screenShareOptions(room, …), which reads who is in the room.
import type { Room, ScalabilityMode, ScreenShareCaptureOptions, TrackPublishOptions, VideoCodec, VideoEncoding } from 'livekit-client';
import { screenShareCodecInput, type CodecSupport } from './codecs';

/** 'text': slides, code, documents. 'motion': a video or an animation being shown. */
export type ScreenShareMode = 'text' | 'motion';

export interface ScreenShareCodecChoice {
  codec: VideoCodec;
  /** Set for SVC codecs: layers inside one stream instead of simulcast. */
  scalabilityMode?: ScalabilityMode;
  /** The SFU asks the publisher for this one too if a subscriber cannot decode `codec`. */
  backupCodec?: 'vp8';
  why: string;
}

/** In order of preference for legible text at low bitrate. */
const SVC_PREFERENCE: readonly VideoCodec[] = ['vp9', 'av1'];

function has(support: CodecSupport, codec: VideoCodec): boolean {
  return Array.isArray(support) ? support.includes(codec) : (support as ReadonlySet<VideoCodec>).has(codec);
}

/**
 * Picks the screen-share codec. `local` is what this browser can encode, `remotes` what each other
 * participant reported it can decode (`undefined` for someone who did not say). VP9 (then AV1) SVC
 * when every known participant decodes it; VP8 otherwise. With unknown participants the SVC codec is
 * still chosen but with a VP8 backup, which the SFU falls back to per subscriber.
 */
export function chooseScreenShareCodec(local: CodecSupport, remotes: ReadonlyArray<CodecSupport | undefined>): ScreenShareCodecChoice {
  for (const codec of SVC_PREFERENCE) {
    if (!has(local, codec)) continue;
    if (remotes.some((r) => r !== undefined && !has(r, codec))) continue;
    const unknown = remotes.some((r) => r === undefined);
    return {
      codec,
      // Three spatial x three temporal layers, key frames only on the base layer: a subscriber
      // on a thin link gets a legible lower layer without a second encoder running.
      scalabilityMode: 'L3T3_KEY',
      ...(unknown ? { backupCodec: 'vp8' as const } : {}),
      why: unknown
        ? `${codec} SVC; some participants did not report codecs, so VP8 is kept as backup`
        : `${codec} SVC; every participant decodes it`,
    };
  }
  return { codec: 'vp8', why: 'a participant cannot decode VP9 or AV1' };
}

export interface ScreenShareProfile {
  capture: ScreenShareCaptureOptions;
  encoding: VideoEncoding;
  degradationPreference: RTCDegradationPreference;
}

/** Text: full 1080p at 5 fps so small print stays sharp. Motion: 720p at 30 fps. */
export const SCREEN_SHARE_PROFILES: Readonly<Record<ScreenShareMode, ScreenShareProfile>> = {
  text: {
    capture: {
      audio: false,
      resolution: { width: 1920, height: 1080, frameRate: 5 },
      contentHint: 'text',
      selfBrowserSurface: 'exclude',
      surfaceSwitching: 'include',
    },
    encoding: { maxBitrate: 2_000_000, maxFramerate: 5, priority: 'high' },
    // Drop frames, never pixels: a blurred slide is useless, a late one is fine.
    degradationPreference: 'maintain-resolution',
  },
  motion: {
    capture: {
      audio: true,
      resolution: { width: 1280, height: 720, frameRate: 30 },
      contentHint: 'motion',
      selfBrowserSurface: 'exclude',
      surfaceSwitching: 'include',
    },
    encoding: { maxBitrate: 2_500_000, maxFramerate: 30, priority: 'high' },
    degradationPreference: 'maintain-framerate',
  },
};

export function screenShareCaptureOptions(mode: ScreenShareMode): ScreenShareCaptureOptions {
  const p = SCREEN_SHARE_PROFILES[mode].capture;
  return { ...p, ...(p.resolution ? { resolution: { ...p.resolution } } : {}) };
}

export function screenSharePublishOptions(
  mode: ScreenShareMode,
  remoteCodecSupport: { local: CodecSupport; remotes: ReadonlyArray<CodecSupport | undefined> },
): TrackPublishOptions {
  const profile = SCREEN_SHARE_PROFILES[mode];
  const choice = chooseScreenShareCodec(remoteCodecSupport.local, remoteCodecSupport.remotes);
  return {
    videoCodec: choice.codec,
    ...(choice.scalabilityMode ? { scalabilityMode: choice.scalabilityMode } : {}),
    backupCodec: choice.backupCodec ? { codec: choice.backupCodec } : false,
    screenShareEncoding: { ...profile.encoding },
    degradationPreference: profile.degradationPreference,
    // SVC codecs carry their own layers; VP8 simulcasts as for the camera.
    simulcast: choice.scalabilityMode === undefined,
  };
}

/**
 * Capture and publish options for a new share in `room`. `local` is what this browser ENCODES (a
 * decoder-only codec must never be chosen for our own share); `remotes` is what each participant
 * advertised it decodes.
 */
export function screenShareOptions(
  room: Room,
  mode: ScreenShareMode = 'text',
): { capture: ScreenShareCaptureOptions; publish: TrackPublishOptions } {
  return { capture: screenShareCaptureOptions(mode), publish: screenSharePublishOptions(mode, screenShareCodecInput(room)) };
}
