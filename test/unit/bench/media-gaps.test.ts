import { describe, expect, it } from 'vitest';
import type { AudioObservation, ShownFrame } from '@bench/lib/call-probe-page';
import { largestAudioHole, largestVideoGap } from '@bench/lib/media-gaps';

/** Observations of one stream every 50 ms (a packet per 20 ms), none arriving inside `hole`. */
function audio(stream: string, from: number, to: number, played: (t: number) => boolean, hole?: [number, number]): AudioObservation[] {
  const out: AudioObservation[] = [];
  let packets = 0;
  let arrived = from;
  for (let t = from; t <= to; t += 50) {
    if (!hole || t <= hole[0] || t >= hole[1]) {
      // Only what was sent since the hole ended arrives: the lost packets never do.
      packets += Math.round((t - Math.max(arrived, hole && t >= hole[1] ? hole[1] : from)) / 20);
      arrived = t;
    }
    out.push({ stream, played: played(t), at: arrived, packets });
  }
  return out;
}

const frames = (stamps: number[]): ShownFrame[] => stamps.map((s) => ({ at: s + 40, stamp: s, path: 'direct' }));

describe('largestAudioHole', () => {
  it('finds a stretch in which the played stream received nothing', () => {
    const h = largestAudioHole(
      audio('a', 0, 3000, () => true, [1000, 1400]),
      0,
      3000,
    );
    // Packets stop after 1000; the first observation after 1400 covers 20 ms per packet back from it.
    expect(h.ms).toBeGreaterThan(350);
    expect(h.ms).toBeLessThan(450);
    expect(h.at).toBe(1000);
  });

  it('a handover from one played stream to another leaves no hole when both overlap', () => {
    const before = audio('direct', 0, 2000, (t) => t < 1000);
    const after = audio('sfu', 0, 2000, (t) => t >= 1000);
    expect(largestAudioHole([...before, ...after], 0, 2000).ms).toBeLessThan(60);
  });

  it('packets of a stream nobody plays do not fill a hole', () => {
    const played = audio('direct', 0, 1000, () => true);
    const unplayed = audio('sfu', 0, 2000, () => false);
    const h = largestAudioHole([...played, ...unplayed], 0, 2000);
    expect(h.ms).toBeCloseTo(1000, -1);
    expect(h.at).toBeCloseTo(1000, -1);
  });
});

describe('largestVideoGap', () => {
  it('is the longest stretch of the sender clock between two shown frames', () => {
    const stamps = [0, 33, 66, 100, 700, 733, 766, 1000];
    expect(largestVideoGap(frames(stamps), 0, 1000)).toEqual({ ms: 600, at: 100 });
  });

  it('counts a picture that never comes back up to the end of the window', () => {
    expect(largestVideoGap(frames([0, 33, 66]), 0, 2000)).toEqual({ ms: 1934, at: 66 });
  });

  it('frames of two tracks shown at once (old and new picture) merge by their stamps', () => {
    const old = frames([0, 100, 200, 300]);
    const fresh = frames([250, 350, 450]);
    expect(largestVideoGap([...fresh, ...old], 0, 450).ms).toBe(100);
  });
});
