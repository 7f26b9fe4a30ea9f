// Whether this browser can run a background effect, answered without loading the effect pipeline
// (@livekit/track-processors pulls in MediaPipe's tasks-vision): the toggles need the answer on
// every pre-join and meeting screen, the pipeline only once someone picks an effect.

const UNSUPPORTED_MESSAGE =
  'Background effects need graphics acceleration (WebGL), which is not available on this computer. Your camera is shown without an effect.';

export type EffectSupport = { ok: true } | { ok: false; code: 'EFFECT_UNSUPPORTED'; message: string };

/** Whether this browser can run the effect at all. Cheap; call it to grey out the toggles. */
export function backgroundEffectsAvailable(): EffectSupport {
  let ok: boolean;
  try {
    // track-processors' ProcessorWrapper.isSupported: insertable streams, or its canvas fallback.
    const streams = 'MediaStreamTrackGenerator' in globalThis && 'MediaStreamTrackProcessor' in globalThis;
    const canvasFallback =
      typeof HTMLCanvasElement !== 'undefined' && typeof VideoFrame !== 'undefined' && 'captureStream' in HTMLCanvasElement.prototype;
    // The segmenter runs its graph on WebGL 2; the pipeline needs OffscreenCanvas and VideoFrame.
    ok =
      (streams || canvasFallback) &&
      typeof OffscreenCanvas !== 'undefined' &&
      typeof VideoFrame !== 'undefined' &&
      !!document.createElement('canvas').getContext('webgl2');
  } catch {
    ok = false;
  }
  return ok ? { ok: true } : { ok: false, code: 'EFFECT_UNSUPPORTED', message: UNSUPPORTED_MESSAGE };
}
