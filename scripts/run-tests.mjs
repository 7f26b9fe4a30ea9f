#!/usr/bin/env node
// Runs the three tiers one after another (unit, then integration against the real SFU, then e2e in
// real Chromium): on two cores, Chromium and livekit-server competing with each other only makes
// timings noisy. Prints one closing line over all tiers: "tests: N passed, N failed".
// Extra arguments go to every vitest call (e.g. `npm test -- -t 'mute'`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tiers = ['unit', 'integration', 'e2e'];
const extra = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'parley-tests-'));
let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;

for (const tier of tiers) {
  const report = join(work, `${tier}.json`);
  const r = spawnSync(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--project',
      tier,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      '--passWithNoTests=false',
      ...extra,
    ],
    { stdio: 'inherit' },
  );
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests ?? 0;
    // A file that fails to load has no failed test of its own: count it once.
    failed += (json.numFailedTests ?? 0) || (r.status !== 0 ? Math.max(1, json.numFailedTestSuites ?? 0) : 0);
    skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  } catch {
    failed += 1; // the tier did not even report: count it as a failure
  }
  if (r.status !== 0) exitCode = 1;
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
if (skipped > 0) {
  process.stderr.write('Skipped tests are not allowed: every test runs.\n');
  exitCode = 1;
}
process.exit(exitCode);
