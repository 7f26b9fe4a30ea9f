import { describe, expect, it } from 'vitest';
import {
  BACKGROUND_IMAGES,
  BackgroundEffectSchema,
  choiceValue,
  effectFromChoice,
  type BackgroundEffect,
} from '@renderer/lib/media/background-effect';
import { cameraCaptureOptions, cameraPublishOptions } from '@renderer/lib/media/camera';
import { codecsFromMimeTypes, encodeCodecSupport, parseCodecSupport } from '@renderer/lib/media/codecs';
import { describeDecryptionError } from '@renderer/lib/media/decryption-problems';
import { checkPassphrase, decodeRoomKey } from '@renderer/lib/media/e2ee-keys';
import { MediaSettingsError } from '@renderer/lib/media/errors';
import { audioCaptureOptions, audioPublishOptions } from '@renderer/lib/media/microphone';
import { subscribedLayer } from '@renderer/lib/media/received-layer';
import { connectOptions, createRoomOptions } from '@renderer/lib/media/room';
import { chooseScreenShareCodec, screenShareCaptureOptions, screenSharePublishOptions } from '@renderer/lib/media/screen-share';

describe('camera', () => {
  it('captures 720p and publishes VP8 simulcast with 180p and 360p below it', () => {
    expect(cameraCaptureOptions().resolution).toMatchObject({ width: 1280, height: 720 });
    expect(cameraCaptureOptions('cam-2').deviceId).toEqual({ exact: 'cam-2' });
    const pub = cameraPublishOptions();
    expect(pub.simulcast).toBe(true);
    expect(pub.videoCodec).toBe('vp8');
    expect(pub.videoSimulcastLayers?.map((l) => [l.width, l.height])).toEqual([
      [320, 180],
      [640, 360],
    ]);
    expect(pub.videoEncoding?.maxBitrate).toBeGreaterThan(pub.videoSimulcastLayers?.[1]?.encoding.maxBitrate ?? Infinity);
  });
});

describe('room', () => {
  it('turns on dynacast and adaptive stream, and carries the E2EE options only when given', () => {
    const plain = createRoomOptions();
    expect(plain.dynacast).toBe(true);
    expect(plain.adaptiveStream).toMatchObject({ pauseVideoInBackground: true });
    expect(plain.encryption).toBeUndefined();
    expect(plain.publishDefaults).toMatchObject({ simulcast: true, dtx: true, red: true, videoCodec: 'vp8' });
    const e2ee = { keyProvider: {} as never, worker: {} as never };
    expect(createRoomOptions({ e2ee: { roomOptions: e2ee } }).encryption).toBe(e2ee);
    expect(connectOptions.autoSubscribe).toBe(true);
  });
});

describe('audio', () => {
  it('uses Chromium noise suppression and echo cancellation by default, each switchable', () => {
    expect(audioCaptureOptions()).toMatchObject({ noiseSuppression: true, echoCancellation: true, autoGainControl: true });
    expect(audioCaptureOptions({ noiseSuppression: false })).toMatchObject({ noiseSuppression: false, echoCancellation: true });
    expect(audioCaptureOptions({ echoCancellation: false }).echoCancellation).toBe(false);
    expect(createRoomOptions({ audio: { noiseSuppression: false } }).audioCaptureDefaults?.noiseSuppression).toBe(false);
  });
  it('publishes with DTX and RED', () => {
    expect(audioPublishOptions()).toMatchObject({ dtx: true, red: true });
  });
});

describe('screen share codec choice', () => {
  const all = ['vp8', 'vp9', 'av1', 'h264'] as const;
  it('uses VP9 SVC when everyone decodes it', () => {
    const c = chooseScreenShareCodec(all, [['vp8', 'vp9'], new Set(['vp8', 'vp9', 'av1'] as const)]);
    expect(c).toMatchObject({ codec: 'vp9', scalabilityMode: 'L3T3_KEY' });
    expect(c.backupCodec).toBeUndefined();
  });
  it('uses AV1 when VP9 is missing somewhere but AV1 is everywhere', () => {
    expect(chooseScreenShareCodec(['vp8', 'av1'], [['vp8', 'av1', 'vp9']]).codec).toBe('av1');
  });
  it('falls back to VP8 when any participant lacks both', () => {
    const c = chooseScreenShareCodec(all, [
      ['vp8', 'vp9'],
      ['vp8', 'h264'],
    ]);
    expect(c).toMatchObject({ codec: 'vp8' });
    expect(c.scalabilityMode).toBeUndefined();
  });
  it('keeps a VP8 backup when some participant did not report', () => {
    expect(chooseScreenShareCodec(all, [['vp9', 'vp8'], undefined])).toMatchObject({ codec: 'vp9', backupCodec: 'vp8' });
  });
  it('alone in the room, the local encoder decides', () => {
    expect(chooseScreenShareCodec(['vp8'], []).codec).toBe('vp8');
    expect(chooseScreenShareCodec(all, []).codec).toBe('vp9');
  });
});

describe('screen share profiles', () => {
  it('text: high resolution, low frame rate, text hint, keeps resolution under pressure', () => {
    const cap = screenShareCaptureOptions('text');
    expect(cap).toMatchObject({ contentHint: 'text', resolution: { width: 1920, height: 1080, frameRate: 5 } });
    const pub = screenSharePublishOptions('text', { local: ['vp8', 'vp9'], remotes: [['vp8', 'vp9']] });
    expect(pub).toMatchObject({
      videoCodec: 'vp9',
      scalabilityMode: 'L3T3_KEY',
      degradationPreference: 'maintain-resolution',
      simulcast: false,
      backupCodec: false,
    });
    expect(pub.screenShareEncoding?.maxFramerate).toBe(5);
  });
  it('motion: 30 fps, motion hint, keeps frame rate; VP8 simulcast on fallback', () => {
    expect(screenShareCaptureOptions('motion')).toMatchObject({ contentHint: 'motion', resolution: { frameRate: 30 } });
    const pub = screenSharePublishOptions('motion', { local: ['vp8', 'vp9'], remotes: [['vp8']] });
    expect(pub).toMatchObject({ videoCodec: 'vp8', degradationPreference: 'maintain-framerate', simulcast: true });
    expect(pub.screenShareEncoding?.maxFramerate).toBe(30);
  });
  it('returns copies, so a caller cannot change the shared profile', () => {
    const a = screenShareCaptureOptions('text');
    a.resolution!.width = 1;
    expect(screenShareCaptureOptions('text').resolution?.width).toBe(1920);
  });
});

describe('codec support attribute', () => {
  it('round-trips and ignores unknown codecs', () => {
    expect(encodeCodecSupport(new Set(['vp9', 'vp8'] as const))).toBe('vp8,vp9');
    expect([...(parseCodecSupport('vp8, VP9,theora') ?? [])]).toEqual(['vp8', 'vp9']);
    expect(parseCodecSupport(undefined)).toBeUndefined();
    expect([...codecsFromMimeTypes(['video/VP8', 'video/rtx', 'video/AV1', 'video/red'])]).toEqual(['vp8', 'av1']);
  });
});

describe('subscribedLayer', () => {
  it('names the layer from the decoded width relative to the published width', () => {
    expect(subscribedLayer({ frameWidth: 320, frameHeight: 180 }, 1280).layer).toBe('low');
    expect(subscribedLayer({ frameWidth: 640, frameHeight: 360 }, 1280).layer).toBe('medium');
    expect(subscribedLayer({ frameWidth: 1280, frameHeight: 720 }, 1280).layer).toBe('high');
    // Encoder adaptation (e.g. 960 wide under CPU pressure) still reads as the high layer.
    expect(subscribedLayer({ frameWidth: 960 }, 1280).layer).toBe('high');
    expect(subscribedLayer({ frameWidth: 0 }, 1280).layer).toBe('unknown');
    expect(subscribedLayer({ frameWidth: 640 }, undefined).layer).toBe('unknown');
  });
  it('computes fps and kbps between samples, and says paused when no frame was decoded', () => {
    const prev = { frameWidth: 640, framesDecoded: 100, bytesReceived: 100_000, timestamp: 10_000 };
    const cur = { frameWidth: 640, framesDecoded: 130, bytesReceived: 162_500, timestamp: 11_000 };
    expect(subscribedLayer(cur, 1280, prev)).toEqual({ layer: 'medium', width: 640, height: 0, fps: 30, kbps: 500 });
    expect(subscribedLayer({ ...prev, timestamp: 12_000 }, 1280, prev).layer).toBe('paused');
  });
});

describe('describeDecryptionError', () => {
  it('tells a wrong key from a missing one, from worker messages or reason codes', () => {
    const wrong = describeDecryptionError(new Error('InvalidKey: DecryptionFailure for ada'), 'Ada');
    expect(wrong.code).toBe('E2EE_WRONG_KEY');
    expect(wrong.message).toMatch(/Ada's audio and video can't be decrypted/);
    expect(wrong.message).toMatch(/passphrase/);
    expect(describeDecryptionError({ reason: 0, message: 'x' }).code).toBe('E2EE_WRONG_KEY');
    expect(describeDecryptionError(new Error('MissingKey: no key'), 'Ada').code).toBe('E2EE_MISSING_KEY');
    expect(describeDecryptionError({ reason: 2, message: 'boom' }).code).toBe('E2EE_INTERNAL');
    expect(describeDecryptionError('weird')).toMatchObject({ code: 'E2EE_UNKNOWN', message: 'End-to-end encryption failed: weird.' });
  });
});

describe('keys', () => {
  it('decodes a base64 or base64url room key of at least 128 bits', () => {
    const bytes = new Uint8Array(32).map((_, i) => i * 7);
    const b64 = Buffer.from(bytes).toString('base64');
    expect(new Uint8Array(decodeRoomKey(b64))).toEqual(bytes);
    expect(new Uint8Array(decodeRoomKey(Buffer.from(bytes).toString('base64url')))).toEqual(bytes);
  });
  it('rejects short or malformed keys with E2EE_BAD_KEY', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof MediaSettingsError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => decodeRoomKey(Buffer.alloc(8).toString('base64')))).toBe('E2EE_BAD_KEY');
    expect(code(() => decodeRoomKey('not base64!'))).toBe('E2EE_BAD_KEY');
    expect(code(() => checkPassphrase('short'))).toBe('E2EE_PASSPHRASE_TOO_SHORT');
    expect(checkPassphrase('long enough phrase')).toBe('long enough phrase');
  });
});

describe('background effect choice', () => {
  const parse = (raw: unknown): BackgroundEffect => {
    const r = BackgroundEffectSchema.safeParse(raw);
    return r.success ? r.data : { kind: 'none' };
  };
  it('round-trips every offered choice through its select value and the stored form', () => {
    const choices: BackgroundEffect[] = [{ kind: 'blur', radius: 8 }, { kind: 'image', image: 'office' }, { kind: 'none' }];
    for (const c of choices) expect(parse(JSON.parse(JSON.stringify(c)))).toEqual(c);
    for (const value of ['none', 'blur', 'image:office', 'image:gradient']) expect(choiceValue(effectFromChoice(value))).toBe(value);
  });
  it('treats a stored value it does not know as no effect, and never accepts an image that is not shipped', () => {
    expect(parse({ kind: 'image', image: 'https://evil.example/x.png' })).toEqual({ kind: 'none' });
    expect(parse({ kind: 'sepia' })).toEqual({ kind: 'none' });
    expect(parse({ kind: 'blur', radius: 1e9 })).toEqual({ kind: 'blur' });
    expect(Object.keys(BACKGROUND_IMAGES).length).toBeGreaterThan(0);
  });
});
