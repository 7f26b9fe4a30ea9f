import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runDirectCallBench } from '@bench/direct-call';

// Smoke: figure 7 with one round and one handover cycle. Checks the shape of the figure — a direct
// call, a call via the SFU and the bare floor each measured in the one run, readable stamped frames
// on each path, a handover cycle with both gaps in each direction, the charts written — not its speed.
it('figure 7 (direct 1:1 calls) measures the direct call, the SFU call and the bare floor in one run, and a handover', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = { doc: join(dir, 'benchmarks.md'), chartsDir: join(dir, 'charts') };
  const r = await runDirectCallBench({ smoke: true, out, verbose: false });
  const runs = (name: string) => r.series.find((s) => s.name === name)!.runs;
  for (const mode of ['direct call', 'via the SFU', 'bare P2P floor']) {
    const latency = runs(`glass-to-glass, ${mode}, median per run`);
    expect(latency.length, mode).toBe(1);
    // A latency is positive and, on loopback, well under a second; anything else is a misread stamp.
    expect(latency[0]).toBeGreaterThan(0);
    expect(latency[0]).toBeLessThan(1000);
  }
  const shown = runs('join, direct call: click to first frame shown');
  const direct = runs('join, direct call: click to the call being direct');
  expect(shown.length).toBe(1);
  expect(shown[0]).toBeGreaterThan(0);
  expect(direct[0]).toBeGreaterThan(0);
  expect(runs('join, via the SFU: click to first frame shown')[0]).toBeGreaterThan(0);
  expect(runs('join, bare P2P floor: createOffer to first frame decoded')[0]).toBeGreaterThan(0);
  for (const phase of ['a third joins', 'back to two'])
    for (const kind of ['audio', 'video']) {
      const gaps = runs(`handover, ${phase}: largest ${kind} gap`);
      expect(gaps.length, `${phase} ${kind}`).toBe(1);
      expect(gaps[0]).toBeGreaterThanOrEqual(0);
    }
  const head = r.headline[0]!;
  expect(head.ratio).toBeCloseTo(head.value / head.floor!, 6);
  for (const chart of ['direct-call-latency.svg', 'direct-call-join.svg', 'direct-call-handover.svg'])
    expect(readFileSync(join(out.chartsDir, chart), 'utf8')).toContain('<svg');
  expect(readFileSync(out.doc, 'utf8')).toContain('<!-- bench:direct-call -->');
  // It builds the web client and runs several joins and a handover: a smoke checks shape, not speed.
}, 400_000);
