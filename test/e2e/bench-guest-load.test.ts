import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runGuestLoadBench } from '@bench/guest-load';

// Smoke: figure 6 with one load of each page over the 5 Mbit/s link (a namespace with a random
// name, removed even when the bench fails). Checks both loads reached a shown remote frame, the
// phases are in order, the bytes add up (HTTP and WebRTC are parts of what crossed the link), the
// ratios are computed and the charts written — not the targets.
it('figure 6 (guest load) loads Parley and the bare page over a shaped link to the first frame shown', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = { doc: join(dir, 'benchmarks.md'), chartsDir: join(dir, 'charts') };
  const r = await runGuestLoadBench({ smoke: true, out, verbose: false });
  const runs = (name: string) => r.series.find((s) => s.name === name)!.runs;
  // A dropped load fails the smoke with its own error, not only as a missing sample.
  expect(r.failedRuns).toEqual([]);
  for (const who of ['Parley guest', 'bare page']) {
    const shown = runs(who === 'bare page' ? 'bare page: opened to first frame shown' : 'Parley guest: link opened to first frame shown');
    const link = runs(`${who}: bytes over the link`);
    const http = runs(`${who}: HTTP bytes`);
    expect(shown.length).toBe(1);
    expect(shown[0]).toBeGreaterThan(0);
    // The page itself came over the link: more than a few kB of HTTP, and the link carried at least that.
    expect(http[0]).toBeGreaterThan(20);
    expect(link[0]).toBeGreaterThanOrEqual(http[0]!);
  }
  const [time, bytes] = r.headline;
  expect(time!.ratio).toBeCloseTo(time!.value / time!.floor!, 6);
  expect(bytes!.ratio).toBeCloseTo(bytes!.value / bytes!.floor!, 6);
  const phases = r.tables.find((t) => t.title.startsWith('Where the time goes'))!;
  const phase = (start: string, column: number) => phases.rows.find((row) => String(row[0]).startsWith(start))![column] as number;
  const steps = [
    'navigation to the join starting',
    'to the peer connection connected',
    'to the first remote frame decoded',
    'to that frame shown',
  ];
  for (const column of [1, 2]) {
    expect(phase('navigation to the join starting', column)).toBeGreaterThan(0);
    expect(phase('to the peer connection connected', column)).toBeGreaterThan(0);
    expect(phase('to the first remote frame decoded', column)).toBeGreaterThanOrEqual(0);
    // Shown can precede the decoded mark by a few ms (the probe reads a clone of the track), never by much.
    expect(phase('to that frame shown', column)).toBeGreaterThan(-100);
    // The phases add up to the total (the median of one run is that run; each cell is rounded).
    expect(Math.abs(steps.reduce((sum, s) => sum + phase(s, column), 0) - phase('total', column))).toBeLessThanOrEqual(3);
  }
  // Parley's guest clicked "Ask to join" before its join started.
  expect(phase('navigation to "Ask to join" clicked', 1)).toBeLessThanOrEqual(phase('navigation to the join starting', 1));
  const parts = r.tables.find((t) => t.title.startsWith('What the bytes are'))!;
  const webrtc = parts.rows.find((row) => String(row[0]).startsWith('WebRTC'))!;
  expect(webrtc[1]).toBeGreaterThan(0);
  for (const chart of ['guest-load.svg', 'guest-load-bytes.svg'])
    expect(readFileSync(join(out.chartsDir, chart), 'utf8')).toContain('<svg');
  expect(r.notes.join(' ')).toContain('0 loads failed');
  // Two builds (the web client and the bare page) and two loads over the link: minutes on a loaded
  // 2-core machine; a smoke checks shape, not speed.
}, 420_000);
