// The longest holes in what a person received during a handover, from what the call probe
// (call-probe-page.ts) recorded in their page. Pure functions, unit-tested directly.
import type { AudioObservation, ShownFrame } from './call-probe-page';

/** One Opus packet carries 20 ms of sound (Chromium's default ptime). */
const OPUS_PACKET_MS = 20;

export interface Hole {
  ms: number;
  /** Where it starts (the clock the samples use). */
  at: number;
}

/** The longest stretch of [from, to] that no interval covers. */
function longestUncovered(covered: [number, number][], from: number, to: number): Hole {
  const sorted = [...covered].sort((x, y) => x[0] - y[0]);
  let worst: Hole = { ms: 0, at: from };
  let reached = from;
  for (const [start, end] of sorted) {
    if (start > to) break;
    if (start - reached > worst.ms) worst = { ms: start - reached, at: reached };
    reached = Math.max(reached, end);
  }
  return to - reached > worst.ms ? { ms: to - reached, at: reached } : worst;
}

/**
 * The longest hole in received audio on the streams the page plays. Each new observation of a
 * stream says "n more packets arrived, the last at t", so it covers [t - n * 20 ms, t]; what arrived
 * counts when the stream played at either end of that step. Arrival times come from the browser's
 * network side, so a page too busy to sample on time does not invent a hole.
 */
export function largestAudioHole(observations: readonly AudioObservation[], from: number, to: number): Hole {
  const byStream = new Map<string, AudioObservation[]>();
  for (const o of observations) byStream.set(o.stream, [...(byStream.get(o.stream) ?? []), o]);
  const covered: [number, number][] = [];
  for (const list of byStream.values()) {
    if (!list.some((o) => o.played)) continue;
    if (list[0]!.played) covered.push([list[0]!.at - OPUS_PACKET_MS, list[0]!.at]);
    for (let i = 1; i < list.length; i++) {
      const [prev, cur] = [list[i - 1]!, list[i]!];
      const n = cur.packets - prev.packets;
      if (n > 0 && (cur.played || prev.played)) covered.push([cur.at - n * OPUS_PACKET_MS, cur.at]);
    }
  }
  return longestUncovered(covered, from, to);
}

/**
 * The longest freeze of the far end's picture: the longest stretch of the sender's clock, within
 * [from, to], between two consecutive frames the page showed (by the stamp drawn into each frame).
 * Measured on the sender's clock, a receiving page that stalls for a moment does not invent a
 * freeze, while a picture that stops, or skips ahead, does count.
 */
export function largestVideoGap(frames: readonly ShownFrame[], from: number, to: number): Hole {
  const stamps = [...new Set(frames.map((f) => f.stamp))].filter((s) => s >= from && s <= to);
  return longestUncovered(
    stamps.map((s) => [s, s]),
    from,
    to,
  );
}
