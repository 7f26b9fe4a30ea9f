import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runRendererBench, timeToInteractive } from '@bench/renderer';

it('time to interactive is pushed past long tasks that start before 500 ms of quiet', () => {
  expect(timeToInteractive({ ui: 100, longTasks: [] }, 80)).toBe(100);
  expect(
    timeToInteractive(
      {
        ui: 100,
        longTasks: [
          { start: 90, end: 200 },
          { start: 650, end: 700 },
        ],
      },
      80,
    ),
  ).toBe(700);
  expect(timeToInteractive({ ui: 100, longTasks: [{ start: 1000, end: 1100 }] }, 80)).toBe(100);
  expect(Number.isNaN(timeToInteractive({ longTasks: [] }, 80))).toBe(true);
});

// Smoke: figure 5 small (2 loads, a 3-person meeting and a 4-tile grid). Checks every figure is a
// sane number — not the targets.
it('figure 5 (renderer) measures bundle, TTI, heap and long tasks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = { doc: join(dir, 'benchmarks.md'), chartsDir: join(dir, 'charts') };
  const r = await runRendererBench({ smoke: true, out, verbose: false });
  const [bundle, tti, heap, longest] = r.headline;
  expect(bundle!.value).toBeGreaterThan(10);
  expect(tti!.value).toBeGreaterThan(0);
  expect(heap!.value).toBeGreaterThan(1);
  expect(longest!.value).toBeGreaterThanOrEqual(0);
  expect(readFileSync(join(out.chartsDir, 'renderer.svg'), 'utf8')).toContain('<svg');
});
