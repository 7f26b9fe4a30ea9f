// Connection quality from what WebRTC measures, one pure function so the thresholds live in
// exactly one place: loss above 2% or RTT above 300 ms is fair, loss above 10% is poor.
import type { QualityLevel } from './livekit/types';

export interface LinkMetrics {
  /** Percent of packets lost over the last sample window, 0..100; null when not measured yet. */
  lossPercent: number | null;
  /** Milliseconds; audio tracks only (see fairJitterMs), null for video. */
  jitterMs: number | null;
  /** Milliseconds. */
  rttMs: number | null;
}

const QUALITY_THRESHOLDS = {
  fairLossPercent: 2,
  poorLossPercent: 10,
  fairRttMs: 300,
  /**
   * The issue names jitter as an input without a number; 30 ms is where audio jitter starts adding
   * audible delay, so above it is fair (never poor). Callers pass audio jitter only: video jitter
   * is naturally tens of ms (a frame's packets leave in a burst) and says little about the link.
   */
  fairJitterMs: 30,
} as const;

export function classifyQuality(m: LinkMetrics): QualityLevel {
  if (m.lossPercent === null && m.rttMs === null && m.jitterMs === null) return 'unknown';
  const t = QUALITY_THRESHOLDS;
  if (m.lossPercent !== null && m.lossPercent > t.poorLossPercent) return 'poor';
  if (m.lossPercent !== null && m.lossPercent > t.fairLossPercent) return 'fair';
  if (m.rttMs !== null && m.rttMs > t.fairRttMs) return 'fair';
  if (m.jitterMs !== null && m.jitterMs > t.fairJitterMs) return 'fair';
  return 'good';
}

const ORDER: Record<QualityLevel, number> = { unknown: 0, good: 1, fair: 2, poor: 3 };

/** A participant is as good as their worst measured track. */
export function worstQuality(levels: Iterable<QualityLevel>): QualityLevel {
  let worst: QualityLevel = 'unknown';
  for (const l of levels) if (ORDER[l] > ORDER[worst]) worst = l;
  return worst;
}

export const QUALITY_LABEL: Record<QualityLevel, string> = {
  good: 'Good connection',
  fair: 'Fair connection',
  poor: 'Poor connection',
  unknown: 'Connection quality not measured yet',
};

/** livekit-client's ConnectionQuality values, as strings (this module stays free of livekit-client). */
export type LivekitQuality = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

/**
 * The SFU's own score of a participant's link (it sees their upstream loss and the bitrate it
 * expected), in our three words. LiveKit says "poor" from 6% video loss and "good" from 2%, where
 * our measured thresholds say fair up to 10%, so its poor is our fair and only "lost" is poor; its
 * "good" is what steady calls on a loaded machine often get, so it adds nothing.
 */
export function fromLivekitQuality(q: LivekitQuality): QualityLevel {
  switch (q) {
    case 'excellent':
    case 'good':
      return 'good';
    case 'poor':
      return 'fair';
    case 'lost':
      return 'poor';
    default:
      return 'unknown';
  }
}

/** What the person reads next to the bars: null when there is nothing to say. */
export function qualityWords(level: QualityLevel, who: { isLocal: boolean; name: string }, videoPaused = false): string | null {
  if (who.isLocal) {
    if (level === 'poor')
      return videoPaused ? 'Your connection is losing packets — video paused to keep audio' : 'Your connection is losing packets';
    if (level === 'fair') return 'Your connection is unstable — video may be blurry';
    return null;
  }
  if (level === 'poor') return `${who.name} has a poor connection`;
  if (level === 'fair') return `${who.name} has an unstable connection`;
  return null;
}
