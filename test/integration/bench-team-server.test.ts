import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runTeamServerBench } from '@bench/team-server';

// Smoke: runs figure 4 tiny so it cannot rot. Asserts the result is sane and complete, never the
// targets (benchmarks do not fail CI on numbers).
it('figure 4 (team server) produces a rate, a floor, a ratio and latencies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = { doc: join(dir, 'benchmarks.md'), chartsDir: join(dir, 'charts'), json: join(dir, 'r.json') };
  const r = await runTeamServerBench({ smoke: true, out, verbose: false });
  const [rate, p99] = r.headline;
  expect(rate!.value).toBeGreaterThan(0);
  expect(rate!.floor).toBeGreaterThan(0);
  expect(rate!.ratio).toBeCloseTo(rate!.value / rate!.floor!, 6);
  expect(p99!.value).toBeGreaterThanOrEqual(0);
  for (const s of r.series) expect(s.runs.length).toBeGreaterThan(0);
  expect(r.series.find((s) => s.name.startsWith('bare'))!.runs.every((v) => v > 0)).toBe(true);
  expect(readFileSync(out.doc, 'utf8')).toContain('<!-- bench:team-server -->');
  expect(readFileSync(join(out.chartsDir, 'team-server-rate.svg'), 'utf8')).toContain('<svg');
});
