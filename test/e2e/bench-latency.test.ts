import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runLatencyBench } from '@bench/latency';

// Smoke: figure 2 tiny (two short windows). Checks both paths delivered readable stamped frames and
// the ratio is computed — not the target.
it('figure 2 (glass-to-glass) measures the SFU and the direct P2P path in one run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = { doc: join(dir, 'benchmarks.md'), chartsDir: join(dir, 'charts') };
  const r = await runLatencyBench({ smoke: true, out, verbose: false });
  const sfu = r.series.find((s) => s.name === 'SFU, every frame')!;
  const p2p = r.series.find((s) => s.name === 'direct P2P, every frame')!;
  expect(sfu.runs.length).toBeGreaterThan(5);
  expect(p2p.runs.length).toBeGreaterThan(5);
  // A latency is positive and, on loopback, well under a second; anything else is a misread stamp.
  for (const v of [...sfu.runs, ...p2p.runs]) {
    expect(v).toBeGreaterThan(0);
    expect(v).toBeLessThan(1000);
  }
  const head = r.headline[0]!;
  expect(head.ratio).toBeCloseTo(head.value / head.floor!, 6);
  expect(readFileSync(join(out.chartsDir, 'latency.svg'), 'utf8')).toContain('<svg');
});
