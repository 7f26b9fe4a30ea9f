// Background blur and virtual background on the local camera track.
//
// Plumbing: @livekit/track-processors' ProcessorWrapper (MediaStreamTrackProcessor -> our transform
// -> MediaStreamTrackGenerator, attached with LocalVideoTrack.setProcessor, which swaps the sender's
// track in place: no republish, no rejoin).
// Segmentation: MediaPipe Selfie Segmentation (@mediapipe/selfie_segmentation), whose wasm, graph and
// models ship inside its npm package. We do not use track-processors' own BackgroundTransformer: it
// runs the tasks-vision ImageSegmenter, which needs a .tflite with TFLite metadata that no npm
// package ships (its default downloads one from Google's CDN). See docs/media.md#effects.
// Loaded on first use through background-effect-loader.ts (its own chunk).
// Assets: copied verbatim under renderer/public/media/selfie_segmentation/ and loaded from the
// app's own origin; test/e2e/media-effects.test.ts fails on any non-loopback request.
import {
  ProcessorWrapper,
  type TrackTransformerDestroyOptions,
  type VideoTrackTransformer,
  type VideoTransformerInitOptions,
} from '@livekit/track-processors';
import type { Results, SelfieSegmentation } from '@mediapipe/selfie_segmentation';
import type { LocalVideoTrack } from 'livekit-client';
import { BACKGROUND_IMAGES, DEFAULT_BLUR_RADIUS, type BackgroundEffect } from './background-effect';
import { backgroundEffectsAvailable } from './background-support';

export { backgroundEffectsAvailable };

/** Where the segmenter lives, relative to the app's base URL. */
export const EFFECT_ASSET_DIR = 'media/selfie_segmentation';
/** 1 = the landscape model (144x256 input): made for 16:9 video calls and cheaper than the square one. */
const MODEL_SELECTION = 1;
/** Segmentation input width; the mask is scaled up. 256 matches the model, more costs CPU for nothing. */
const SEGMENT_WIDTH = 256;

export type EffectErrorCode = 'EFFECT_UNSUPPORTED' | 'EFFECT_FAILED';

export type EffectResult =
  | { ok: true; effect: BackgroundEffect }
  | {
      ok: false;
      code: EffectErrorCode;
      /** For the person: why there is no effect. The camera keeps going without one. */
      message: string;
      /** What is applied now: always none, so the picture is never stuck half-processed. */
      effect: { kind: 'none' };
      cause?: unknown;
    };

export interface EffectStats {
  /** Frames that went through segmentation and compositing. */
  framesProcessed: number;
  /** Frames passed through untouched because segmentation failed on them. */
  framesFailed: number;
  lastProcessingMs: number;
  /** Of which segmentation (the rest is compositing). */
  lastSegmentationMs: number;
}

const FAILED_MESSAGE = 'The background effect could not start, so your camera is shown without it.';

function assetUrl(path: string): string {
  // Absolute, so it resolves the same from file://, a custom protocol or http.
  return new URL(path, document.baseURI).href;
}

function backgroundImageUrl(image: string): string {
  const shipped = (BACKGROUND_IMAGES as Record<string, string>)[image];
  return assetUrl(shipped ?? image);
}

// --- the segmenter: one per page, loaded once from our own origin -------------------------------

type SelfieSegmentationCtor = new (config: { locateFile: (file: string) => string }) => SelfieSegmentation;
let loader: Promise<SelfieSegmentationCtor> | undefined;

function loadSegmenterScript(): Promise<SelfieSegmentationCtor> {
  // The package is a closure-compiled script that defines a global; bundling it breaks that, so it
  // is loaded as a classic script from the app's own files.
  loader ??= new Promise<SelfieSegmentationCtor>((resolve, reject) => {
    const existing = (globalThis as { SelfieSegmentation?: SelfieSegmentationCtor }).SelfieSegmentation;
    if (existing) return resolve(existing);
    const script = document.createElement('script');
    script.src = assetUrl(`${EFFECT_ASSET_DIR}/selfie_segmentation.js`);
    script.crossOrigin = 'anonymous';
    script.onload = () => {
      const ctor = (globalThis as { SelfieSegmentation?: SelfieSegmentationCtor }).SelfieSegmentation;
      if (ctor) resolve(ctor);
      else reject(new Error('selfie_segmentation.js loaded but defined no SelfieSegmentation'));
    };
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
    document.head.appendChild(script);
  }).catch((err: unknown) => {
    loader = undefined; // let a later attempt retry
    throw err;
  });
  return loader;
}

type ActiveEffect = Exclude<BackgroundEffect, { kind: 'none' }>;
interface TransformerOptions extends Record<string, unknown> {
  effect: ActiveEffect;
}

/** Segments each camera frame and composites the person over a blurred frame or an image. */
class BackgroundEffectTransformer implements VideoTrackTransformer<TransformerOptions> {
  transformer?: TransformStream;
  readonly stats: EffectStats = { framesProcessed: 0, framesFailed: 0, lastProcessingMs: 0, lastSegmentationMs: 0 };
  private effect: ActiveEffect;
  private segmenter?: SelfieSegmentation;
  private background?: ImageBitmap;
  private backgroundFor?: string;
  // A small copy of the frame: what the segmenter reads, and (blurred) the blur background.
  private readonly small = document.createElement('canvas');
  private readonly smallCtx: CanvasRenderingContext2D;
  private readonly mask = document.createElement('canvas');
  private readonly maskCtx: CanvasRenderingContext2D;
  private out = new OffscreenCanvas(1, 1);
  private readonly outCtx: OffscreenCanvasRenderingContext2D;

  constructor(effect: ActiveEffect) {
    this.effect = effect;
    const ctx = (c: HTMLCanvasElement | OffscreenCanvas) => {
      const x = c.getContext('2d', { willReadFrequently: false } as CanvasRenderingContext2DSettings);
      if (!x) throw new Error('no 2D canvas context');
      return x;
    };
    this.smallCtx = ctx(this.small) as CanvasRenderingContext2D;
    this.maskCtx = ctx(this.mask) as CanvasRenderingContext2D;
    this.outCtx = ctx(this.out) as OffscreenCanvasRenderingContext2D;
  }

  async init(_opts: VideoTransformerInitOptions): Promise<void> {
    await this.ensureSegmenter();
    await this.ensureBackground();
    this.transformer = new TransformStream<VideoFrame, VideoFrame>({
      transform: (frame, controller) => this.transform(frame, controller),
    });
  }

  async restart(opts: VideoTransformerInitOptions): Promise<void> {
    await this.init(opts);
  }

  async destroy(opts?: TrackTransformerDestroyOptions): Promise<void> {
    this.transformer = undefined;
    if (!opts?.willProcessorRestart) {
      const s = this.segmenter;
      this.segmenter = undefined;
      await s?.close();
    }
  }

  async update(opts: TransformerOptions): Promise<void> {
    this.effect = opts.effect;
    await this.ensureBackground();
  }

  private async ensureSegmenter(): Promise<void> {
    if (this.segmenter) return;
    const Ctor = await loadSegmenterScript();
    const base = assetUrl(EFFECT_ASSET_DIR);
    const segmenter = new Ctor({ locateFile: (file) => `${base}/${file}` });
    segmenter.setOptions({ modelSelection: MODEL_SELECTION, selfieMode: false });
    segmenter.onResults((results: Results) => this.onResults(results));
    await segmenter.initialize();
    this.segmenter = segmenter;
  }

  private async ensureBackground(): Promise<void> {
    if (this.effect.kind !== 'image') return;
    const url = backgroundImageUrl(this.effect.image);
    if (this.backgroundFor === url) return;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`background image ${url}: HTTP ${res.status}`);
    this.background = await createImageBitmap(await res.blob());
    this.backgroundFor = url;
  }

  private onResults(results: Results): void {
    // The mask belongs to the segmenter and is reused: copy it now.
    const m = results.segmentationMask;
    const w = this.small.width;
    const h = this.small.height;
    if (this.mask.width !== w || this.mask.height !== h) {
      this.mask.width = w;
      this.mask.height = h;
    }
    this.maskCtx.globalCompositeOperation = 'copy';
    this.maskCtx.drawImage(m, 0, 0, w, h);
  }

  async transform(frame: VideoFrame, controller: TransformStreamDefaultController<VideoFrame>): Promise<void> {
    const started = performance.now();
    const w = frame.displayWidth;
    const h = frame.displayHeight;
    if (!this.segmenter || !w || !h) {
      controller.enqueue(frame);
      return;
    }
    try {
      const sw = SEGMENT_WIDTH;
      const sh = Math.max(1, Math.round((SEGMENT_WIDTH * h) / w));
      if (this.small.width !== sw || this.small.height !== sh) {
        this.small.width = sw;
        this.small.height = sh;
      }
      this.smallCtx.filter = 'none';
      this.smallCtx.drawImage(frame, 0, 0, sw, sh);
      const segStart = performance.now();
      await this.segmenter.send({ image: this.small });
      this.stats.lastSegmentationMs = performance.now() - segStart;

      if (this.out.width !== w || this.out.height !== h) this.out = this.resizeOut(w, h);
      const ctx = this.outCtx;
      ctx.save();
      // 1. the mask (alpha = person), softened a little so the edge does not shimmer
      ctx.globalCompositeOperation = 'copy';
      ctx.filter = 'blur(2px)';
      ctx.drawImage(this.mask, 0, 0, w, h);
      // 2. the person: the frame where the mask is
      ctx.globalCompositeOperation = 'source-in';
      ctx.filter = 'none';
      ctx.drawImage(frame, 0, 0, w, h);
      // 3. behind the person: the blurred small copy scaled up, or the image (cover-fit)
      ctx.globalCompositeOperation = 'destination-over';
      if (this.effect.kind === 'blur') {
        // Blurring the 256-wide copy and scaling it up is ~25x cheaper than blurring full size.
        ctx.filter = `blur(${Math.max(1, ((this.effect.radius ?? DEFAULT_BLUR_RADIUS) * sw) / w)}px)`;
        ctx.drawImage(this.small, 0, 0, w, h);
      } else if (this.background) {
        const bg = this.background;
        const scale = Math.max(w / bg.width, h / bg.height);
        const bw = bg.width * scale;
        const bh = bg.height * scale;
        ctx.drawImage(bg, (w - bw) / 2, (h - bh) / 2, bw, bh);
      }
      ctx.restore();
      const processed = new VideoFrame(this.out, { timestamp: frame.timestamp, alpha: 'discard' });
      frame.close();
      controller.enqueue(processed);
      this.stats.framesProcessed += 1;
      this.stats.lastProcessingMs = performance.now() - started;
    } catch {
      // Never freeze the camera on a bad frame: send it as it came.
      this.stats.framesFailed += 1;
      controller.enqueue(frame);
    }
  }

  private resizeOut(w: number, h: number): OffscreenCanvas {
    this.out.width = w;
    this.out.height = h;
    return this.out;
  }
}

class BackgroundEffectProcessor extends ProcessorWrapper<TransformerOptions, BackgroundEffectTransformer> {
  async switchTo(effect: ActiveEffect): Promise<void> {
    await this.updateTransformerOptions({ effect });
  }
}

const PROCESSOR_NAME = 'parley-background-effect';
const processors = new WeakMap<LocalVideoTrack, BackgroundEffectProcessor>();

/** What the effect has done on this track (for the stats panel, and tests). */
export function effectStats(track: LocalVideoTrack): EffectStats {
  const p = processors.get(track);
  return p ? { ...p.transformer.stats } : { framesProcessed: 0, framesFailed: 0, lastProcessingMs: 0, lastSegmentationMs: 0 };
}

/**
 * Applies `effect` to a local camera track, in pre-join (on the preview track, which is then
 * published as is) or mid-call (on the published track: the sender's track is replaced in place,
 * nobody rejoins). Switching between blur and an image reuses the running segmenter.
 * Never throws: on failure the effect is removed and the result carries a code and a message.
 */
export async function setBackgroundEffect(track: LocalVideoTrack, effect: BackgroundEffect): Promise<EffectResult> {
  const current = processors.get(track);
  const running = current && track.getProcessor() === current;
  if (effect.kind === 'none') {
    if (track.getProcessor()) await track.stopProcessor();
    processors.delete(track);
    return { ok: true, effect };
  }
  const available = backgroundEffectsAvailable();
  if (!available.ok) {
    if (track.getProcessor()) await track.stopProcessor().catch(() => undefined);
    processors.delete(track);
    return { ok: false, code: available.code, message: available.message, effect: { kind: 'none' } };
  }
  try {
    if (running) {
      await current.switchTo(effect);
      return { ok: true, effect };
    }
    const processor = new BackgroundEffectProcessor(new BackgroundEffectTransformer(effect), PROCESSOR_NAME);
    processors.set(track, processor);
    await track.setProcessor(processor);
    return { ok: true, effect };
  } catch (cause) {
    await track.stopProcessor().catch(() => undefined);
    processors.delete(track);
    return { ok: false, code: 'EFFECT_FAILED', message: FAILED_MESSAGE, effect: { kind: 'none' }, cause };
  }
}
