import { describe, expect, it } from 'vitest';
import { buildGraph } from '@server/recording/compositor';
import { layoutSpans } from '@server/recording/layout';
import { parseTimeline } from '@server/recording/timeline';

const CANVAS = { width: 1280, height: 720 };
const lines = (...l: object[]) => l.map((x) => JSON.stringify(x)).join('\n');

describe('recording timeline and layout', () => {
  const text = lines(
    { type: 'start', at: 1 },
    { type: 'join', t: 0, identity: 'ada', name: 'Ada' },
    { type: 'join', t: 0, identity: 'bob', name: 'Bob' },
    {
      type: 'segment',
      id: 'v1',
      t: 0,
      identity: 'ada',
      trackSid: 'T1',
      source: 'camera',
      kind: 'video',
      file: 'v1.ts',
      width: 320,
      height: 240,
    },
    {
      type: 'segment',
      id: 'v2',
      t: 0,
      identity: 'bob',
      trackSid: 'T2',
      source: 'camera',
      kind: 'video',
      file: 'v2.ts',
      width: 320,
      height: 240,
    },
    { type: 'segment', id: 'v3', t: 4000, identity: 'bob', trackSid: 'T3', source: 'screen_share', kind: 'video', file: 'v3.ts' },
    { type: 'segment-end', id: 'v3', t: 6000 },
    { type: 'segment', id: 'a1', t: 0, identity: 'ada', trackSid: 'T4', source: 'microphone', kind: 'audio', file: 'a1.ogg' },
    { type: 'segment-end', id: 'v1', t: 10000 },
    { type: 'segment-end', id: 'v2', t: 10000 },
    { type: 'segment-end', id: 'a1', t: 10000 },
    { type: 'stop', t: 10000, reason: 'stopped' },
  );

  it('reads a timeline, skipping a torn last line', () => {
    const tl = parseTimeline(`${text}\n{"type":"segm`);
    expect(tl.unreadable).toBe(1);
    expect(tl.stoppedAt).toBe(10000);
    expect(tl.segments.map((s) => [s.id, s.start, s.end])).toEqual([
      ['v1', 0, 10000],
      ['v2', 0, 10000],
      ['v3', 4000, 6000],
      ['a1', 0, 10000],
    ]);
  });

  it('lays people out in a grid, and a screen share large with people in a strip below', () => {
    const spans = layoutSpans(parseTimeline(text), 10000, CANVAS);
    const at = (t: number) => spans.find((s) => s.from <= t && s.to > t)!;
    const grid = at(1000).tiles;
    expect(grid.map((t) => [t.identity, t.kind])).toEqual([
      ['ada', 'camera'],
      ['bob', 'camera'],
    ]);
    expect(grid[0]!.rect.y).toBe(grid[1]!.rect.y);
    expect(grid[0]!.rect.x).toBeLessThan(grid[1]!.rect.x);
    const share = at(5000).tiles;
    expect(share[0]).toMatchObject({ identity: 'bob', kind: 'screen' });
    expect(share[0]!.rect.w * share[0]!.rect.h).toBeGreaterThan(CANVAS.width * CANVAS.height * 0.6);
    for (const t of share.slice(1)) expect(t.rect.y).toBeGreaterThan(share[0]!.rect.y + share[0]!.rect.h);
    expect(at(7000).tiles.every((t) => t.kind === 'camera')).toBe(true);
  });

  it('feeds every video piece and every audio track to one ffmpeg graph', () => {
    const g = buildGraph(parseTimeline(text), 10000, CANVAS, 15);
    const files = g.inputs.filter((i) => i[0] === '-i').map((i) => i[1]);
    expect(files.sort()).toEqual(['a1.ogg', 'v1.ts', 'v2.ts', 'v3.ts']);
    expect(g.audio).toBe(true);
    expect(g.filter).toContain('amix=inputs=1');
    expect(g.filter).toContain('[vout]');
  });
});
