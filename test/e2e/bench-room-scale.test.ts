import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runRoomScaleBench } from '@bench/room-scale';

// Smoke: figure 3 with two publishers, one short window per mode. Checks the subscriber received and
// decoded video in both modes and the ratio and CPU figures are computed — not the target.
it('figure 3 (room scale) measures downlink, frame rate and CPU with adaptive stream on and off', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = { doc: join(dir, 'benchmarks.md'), chartsDir: join(dir, 'charts') };
  const r = await runRoomScaleBench({ smoke: true, out, verbose: false });
  const head = r.headline[0]!;
  expect(head.value).toBeGreaterThan(0);
  expect(head.floor).toBeGreaterThan(0);
  expect(head.ratio).toBeCloseTo(head.value / head.floor!, 6);
  const table = r.tables[0]!;
  expect(table.rows).toHaveLength(2);
  for (const row of table.rows) {
    expect(row[3]).toBeGreaterThan(0); // decoded fps per tile
    expect(row[8]).toBeGreaterThan(0); // machine CPU
  }
  expect(readFileSync(join(out.chartsDir, 'room-scale-downlink.svg'), 'utf8')).toContain('<svg');
});
