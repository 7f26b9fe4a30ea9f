import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runRecordingBench } from '@bench/recording';

// Smoke: runs figure 8 tiny so it cannot rot. Asserts the result is sane and complete, never the
// targets (benchmarks do not fail CI on numbers).
it('figure 8 (recording) measures the recorder CPU per participant-second and the compositor speed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = { doc: join(dir, 'benchmarks.md'), chartsDir: join(dir, 'charts'), json: join(dir, 'r.json') };
  const r = await runRecordingBench({ smoke: true, out, verbose: false });
  const [cpu, speed] = r.headline;
  expect(cpu!.figure).toBe('recorder CPU, 2 participants');
  // Recording two encoded tracks each costs something, and less than the whole machine per person.
  expect(cpu!.value).toBeGreaterThan(0);
  expect(cpu!.value).toBeLessThan(2);
  expect(speed!.value).toBeGreaterThan(0);
  for (const s of r.series) expect(s.runs.length).toBe(1);
  expect(readFileSync(out.doc, 'utf8')).toContain('<!-- bench:recording -->');
  expect(readFileSync(join(out.chartsDir, 'recording-cpu.svg'), 'utf8')).toContain('<svg');
  expect(readFileSync(join(out.chartsDir, 'recording-compositor.svg'), 'utf8')).toContain('<svg');
}, 300_000);
