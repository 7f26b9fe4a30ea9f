// The one door to background effects for the pre-join and meeting code: the effect pipeline
// (background-processor.ts, with @livekit/track-processors and MediaPipe's tasks-vision) is its own
// chunk, loaded with import() the first time someone picks an effect, not with the meeting.
import type { LocalVideoTrack } from 'livekit-client';
import type { BackgroundEffect } from './background-effect';
import type { EffectResult } from './background-processor';

export { backgroundEffectsAvailable } from './background-support';

const FAILED_MESSAGE = 'The background effect could not start, so your camera is shown without it.';

let pipeline: Promise<typeof import('./background-processor')> | null = null;

/** Loads the effect pipeline once; a failed load (offline) is retried on the next choice. */
function loadPipeline(): Promise<typeof import('./background-processor')> {
  pipeline ??= import('./background-processor').catch((err: unknown) => {
    pipeline = null;
    throw err;
  });
  return pipeline;
}

/**
 * background-processor's setBackgroundEffect, loading it first. "None" on a track that never had an
 * effect needs no pipeline. Never throws: a failed load is an EFFECT_FAILED result.
 */
export async function setBackgroundEffect(track: LocalVideoTrack, effect: BackgroundEffect): Promise<EffectResult> {
  if (effect.kind === 'none' && !track.getProcessor()) return { ok: true, effect };
  let p: typeof import('./background-processor');
  try {
    p = await loadPipeline();
  } catch (cause) {
    return { ok: false, code: 'EFFECT_FAILED', message: FAILED_MESSAGE, effect: { kind: 'none' }, cause };
  }
  return p.setBackgroundEffect(track, effect);
}
