// Every media decision Parley makes, in one place. The reason for each number is in docs/media.md;
// the comments here say only what would break if it changed. Everything in this file is pure (no
// DOM, no network) so it is unit-tested in Node: test/unit/media/settings.test.ts.
import {
  AudioPresets,
  VideoPresets,
  type AudioCaptureOptions,
  type E2EEOptions,
  type RoomConnectOptions,
  type RoomOptions,
  type ScalabilityMode,
  type ScreenShareCaptureOptions,
  type TrackPublishDefaults,
  type TrackPublishOptions,
  type VideoCaptureOptions,
  type VideoCodec,
  type VideoEncoding,
  type VideoResolution,
} from 'livekit-client';

/** An error a caller can branch on: `code` is stable, `message` is for people. */
export class MediaSettingsError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaSettingsError';
  }
}

export type MediaErrorCode = 'E2EE_BAD_KEY' | 'E2EE_PASSPHRASE_TOO_SHORT' | 'E2EE_UNSUPPORTED' | 'EFFECT_UNSUPPORTED' | 'EFFECT_FAILED';

// ---------------------------------------------------------------------------------------------
// Camera

/** What we ask the camera for. 720p is the top simulcast layer; the two below are derived from it. */
export const CAMERA_RESOLUTION: VideoResolution = { width: 1280, height: 720, frameRate: 30 };

/** Top layer encoding: LiveKit's 720p preset (1.7 Mbps, 30 fps). */
export const CAMERA_TOP_ENCODING: VideoEncoding = VideoPresets.h720.encoding;

/**
 * The two lower simulcast layers (the capture resolution is the third). Ordered low to high as
 * livekit-client expects. 320x180 fills a thumbnail, 640x360 a grid tile.
 */
export const CAMERA_SIMULCAST_LAYERS = [VideoPresets.h180, VideoPresets.h360];

/** VP8: every Chromium decodes it, it simulcasts, and its software encoder is the cheapest. */
export const CAMERA_CODEC: VideoCodec = 'vp8';

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

// ---------------------------------------------------------------------------------------------
// Microphone

/** What the person can switch in settings. Both default on (Chromium's built-in processing). */
export interface AudioProcessingSettings {
  noiseSuppression: boolean;
  echoCancellation: boolean;
  autoGainControl: boolean;
  deviceId?: string;
}

export const DEFAULT_AUDIO_PROCESSING: Readonly<AudioProcessingSettings> = Object.freeze({
  noiseSuppression: true,
  echoCancellation: true,
  autoGainControl: true,
});

export function audioCaptureOptions(settings: Partial<AudioProcessingSettings> = {}): AudioCaptureOptions {
  const s = { ...DEFAULT_AUDIO_PROCESSING, ...settings };
  return {
    noiseSuppression: s.noiseSuppression,
    echoCancellation: s.echoCancellation,
    autoGainControl: s.autoGainControl,
    // Mono voice: stereo doubles the bitrate and defeats echo cancellation in Chromium.
    channelCount: 1,
    ...(s.deviceId ? { deviceId: { exact: s.deviceId } } : {}),
  };
}

export function audioPublishOptions(): TrackPublishOptions {
  return {
    // Opus DTX: silence costs ~nothing. RED: each packet repeats the previous frame, so one lost
    // packet is not heard. (livekit-client turns RED off by itself when E2EE is on.)
    dtx: true,
    red: true,
    audioPreset: AudioPresets.speech,
  };
}

// ---------------------------------------------------------------------------------------------
// Screen share

/** 'text': slides, code, documents. 'motion': a video or an animation being shown. */
export type ScreenShareMode = 'text' | 'motion';

/** Codecs one participant's browser can decode, e.g. from `localVideoCodecSupport()`. */
export type CodecSupport = ReadonlySet<VideoCodec> | readonly VideoCodec[];

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

/** The participant attribute each client sets to advertise what it decodes (comma-separated). */
export const CODEC_SUPPORT_ATTRIBUTE = 'parley.codecs';

export function encodeCodecSupport(codecs: CodecSupport): string {
  return [...codecs].sort().join(',');
}

const KNOWN_CODECS: readonly VideoCodec[] = ['vp8', 'h264', 'vp9', 'av1', 'h265'];

export function parseCodecSupport(attr: string | undefined): Set<VideoCodec> | undefined {
  if (!attr) return undefined;
  const out = new Set<VideoCodec>();
  for (const part of attr.split(',')) {
    const c = part.trim().toLowerCase();
    const known = KNOWN_CODECS.find((k) => k === c);
    if (known) out.add(known);
  }
  return out;
}

/** Maps RTCRtpCodec mime types (`video/VP9`) to livekit-client codec names. */
export function codecsFromMimeTypes(mimeTypes: readonly string[]): Set<VideoCodec> {
  const out = new Set<VideoCodec>();
  for (const mime of mimeTypes) {
    const name = mime.toLowerCase().replace(/^video\//, '');
    const known = KNOWN_CODECS.find((k) => k === name);
    if (known) out.add(known);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Room

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

export interface CreateRoomOptionsInput {
  /** From `createE2eeSetup(...)`; omit for an unencrypted room. */
  e2ee?: { roomOptions: E2EEOptions };
  audio?: Partial<AudioProcessingSettings>;
}

export function createRoomOptions(input: CreateRoomOptionsInput = {}): RoomOptions {
  return {
    // Each subscription gets the layer that fits the biggest element it is attached to; a track
    // attached only to hidden elements is paused by the SFU.
    adaptiveStream: { pixelDensity: 'screen', pauseVideoInBackground: true },
    // Layers no subscriber asked for stop being encoded.
    dynacast: true,
    videoCaptureDefaults: cameraCaptureOptions(),
    audioCaptureDefaults: audioCaptureOptions(input.audio),
    publishDefaults: publishDefaults(),
    ...(input.e2ee ? { encryption: input.e2ee.roomOptions } : {}),
  };
}

export const connectOptions: RoomConnectOptions = Object.freeze({
  autoSubscribe: true,
  // Let the SFU pause whole video tracks (audio keeps flowing) when a subscriber's link is so thin
  // that even the lowest layer does not fit.
  subscriberAllowPause: true,
});

// ---------------------------------------------------------------------------------------------
// Stats panel: which layer is a subscriber receiving?

export type LayerName = 'low' | 'medium' | 'high';

export interface InboundVideoSample {
  frameWidth?: number;
  frameHeight?: number;
  framesDecoded?: number;
  bytesReceived?: number;
  /** ms, as in RTCStats */
  timestamp?: number;
}

export interface SubscribedLayer {
  /** 'paused': no new frames since the previous sample (hidden tile or downlink too thin). */
  layer: LayerName | 'paused' | 'unknown';
  width: number;
  height: number;
  /** Decoded frames per second since `previous`, if given. */
  fps?: number;
  /** Received kbit/s since `previous`, if given. */
  kbps?: number;
}

/**
 * Names the layer a subscriber is receiving from the decoded frame size, relative to the width the
 * publisher sends on its top layer (publication.dimensions). With our 3 layers at 1/4, 1/2 and 1/1
 * of the capture width the thresholds sit between them (3/8 and 3/4) so encoder rounding and
 * adaptation do not flip the label.
 */
export function subscribedLayer(
  current: InboundVideoSample,
  publishedWidth: number | undefined,
  previous?: InboundVideoSample,
): SubscribedLayer {
  const width = current.frameWidth ?? 0;
  const height = current.frameHeight ?? 0;
  const out: SubscribedLayer = { layer: 'unknown', width, height };
  if (previous && current.timestamp !== undefined && previous.timestamp !== undefined) {
    const seconds = (current.timestamp - previous.timestamp) / 1000;
    if (seconds > 0) {
      out.fps = Math.max(0, ((current.framesDecoded ?? 0) - (previous.framesDecoded ?? 0)) / seconds);
      out.kbps = Math.max(0, (((current.bytesReceived ?? 0) - (previous.bytesReceived ?? 0)) * 8) / 1000 / seconds);
    }
    if ((current.framesDecoded ?? 0) === (previous.framesDecoded ?? 0)) {
      out.layer = 'paused';
      return out;
    }
  }
  if (!width || !publishedWidth) return out;
  const ratio = width / publishedWidth;
  out.layer = ratio >= 0.75 ? 'high' : ratio >= 0.375 ? 'medium' : 'low';
  return out;
}

// ---------------------------------------------------------------------------------------------
// E2EE errors

export type DecryptionErrorCode = 'E2EE_WRONG_KEY' | 'E2EE_MISSING_KEY' | 'E2EE_INTERNAL' | 'E2EE_UNKNOWN';

export interface DecryptionProblem {
  code: DecryptionErrorCode;
  /** One sentence for the person in the meeting. */
  message: string;
  /** Whose media failed, when known. */
  participant?: string;
}

/**
 * Turns livekit-client's RoomEvent.EncryptionError into something a person can act on. The worker
 * reports `InvalidKey: ...` / `MissingKey: ...` (CryptorErrorReason names) or a CryptorError with
 * a numeric `reason` (0 InvalidKey, 1 MissingKey, 2 InternalError).
 */
export function describeDecryptionError(error: unknown, participantName?: string): DecryptionProblem {
  const who = participantName ? `${participantName}'s` : 'Other participants’';
  let reason: number | undefined;
  let text = '';
  if (error && typeof error === 'object') {
    const r = (error as { reason?: unknown }).reason;
    if (typeof r === 'number') reason = r;
    const m = (error as { message?: unknown }).message;
    if (typeof m === 'string') text = m;
  } else if (typeof error === 'string') {
    text = error;
  }
  const base = participantName ? { participant: participantName } : {};
  if (reason === 0 || /^InvalidKey\b/.test(text) || /invalid key/i.test(text)) {
    return {
      ...base,
      code: 'E2EE_WRONG_KEY',
      message: `${who} audio and video can't be decrypted: your encryption key or passphrase does not match theirs. Leave and rejoin with the right passphrase.`,
    };
  }
  if (reason === 1 || /^MissingKey\b/.test(text) || /missing key/i.test(text)) {
    return {
      ...base,
      code: 'E2EE_MISSING_KEY',
      message: `${who} audio and video can't be decrypted yet: no encryption key has been set for this call.`,
    };
  }
  if (reason === 2 || /^InternalError\b/.test(text)) {
    return {
      ...base,
      code: 'E2EE_INTERNAL',
      message: `Decrypting ${who.replace(/’$|'s$/, '')} media failed inside the app. Try rejoining.`,
    };
  }
  return { ...base, code: 'E2EE_UNKNOWN', message: `End-to-end encryption failed${text ? `: ${text}` : ''}.` };
}

/** The least a passphrase must be: PBKDF2 with a fixed salt means short ones are guessable offline. */
export const MIN_PASSPHRASE_LENGTH = 8;

/**
 * Decodes a room key from the team server (base64 or base64url, at least 128 bits) to raw bytes.
 * Throws MediaSettingsError('E2EE_BAD_KEY').
 */
export function decodeRoomKey(base64: string): ArrayBuffer {
  const clean = base64.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) {
    throw new MediaSettingsError('E2EE_BAD_KEY', 'The room key from the server is not valid base64.');
  }
  const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
  if (bin.length < 16) {
    throw new MediaSettingsError('E2EE_BAD_KEY', `The room key is ${bin.length * 8} bits; at least 128 are needed.`);
  }
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

export function checkPassphrase(passphrase: string): string {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new MediaSettingsError('E2EE_PASSPHRASE_TOO_SHORT', `The passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
  return passphrase;
}

// ---------------------------------------------------------------------------------------------
// Background effect preference (remembered between calls)

export type BackgroundEffect =
  | { kind: 'none' }
  | { kind: 'blur'; radius?: number }
  | { kind: 'image'; /** One of BACKGROUND_IMAGES' ids, or a same-origin URL. */ image: string };

export const DEFAULT_BLUR_RADIUS = 12;
export const DEFAULT_EFFECT: BackgroundEffect = Object.freeze({ kind: 'none' });
export const EFFECT_STORAGE_KEY = 'parley.media.backgroundEffect';

/** Images shipped with the app under renderer/public/media/backgrounds/. */
export const BACKGROUND_IMAGES = Object.freeze({
  office: 'media/backgrounds/office.png',
  gradient: 'media/backgrounds/gradient.png',
} as const);
export type BackgroundImageId = keyof typeof BACKGROUND_IMAGES;

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function parseBackgroundEffect(raw: string | null): BackgroundEffect {
  if (!raw) return DEFAULT_EFFECT;
  try {
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== 'object') return DEFAULT_EFFECT;
    const o = v as Record<string, unknown>;
    if (o.kind === 'blur') {
      const r = o.radius;
      return typeof r === 'number' && r > 0 && r <= 50 ? { kind: 'blur', radius: r } : { kind: 'blur' };
    }
    if (o.kind === 'image' && typeof o.image === 'string' && o.image in BACKGROUND_IMAGES) {
      return { kind: 'image', image: o.image };
    }
    return DEFAULT_EFFECT;
  } catch {
    return DEFAULT_EFFECT;
  }
}

/** Off by default; a stored choice from an older version that no longer parses is treated as off. */
export function loadBackgroundEffect(store: KeyValueStore): BackgroundEffect {
  return parseBackgroundEffect(store.getItem(EFFECT_STORAGE_KEY));
}

export function saveBackgroundEffect(store: KeyValueStore, effect: BackgroundEffect): void {
  store.setItem(EFFECT_STORAGE_KEY, JSON.stringify(effect));
}
