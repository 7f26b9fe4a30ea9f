// Runs one vitest project (a test tier) in its own process and reads back what happened from
// vitest's JSON report: shared by `npm test` (scripts/run-tests.mjs) and the flake hunt
// (scripts/repeat-tests.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TIERS = ['unit', 'integration', 'e2e'];

/**
 * @typedef {{ name: string, file: string, message: string, durationMs: number }} Failure
 * @typedef {{ status: number, passed: number, failed: number, skipped: number, failures: Failure[], durationMs: number }} TierResult
 */

/**
 * @param {string} tier
 * @param {string[]} extra arguments for vitest (e.g. `-t 'mute'`)
 * @returns {TierResult}
 */
export function runTier(tier, extra = []) {
  const work = mkdtempSync(join(tmpdir(), 'parley-tests-'));
  const report = join(work, `${tier}.json`);
  const started = Date.now();
  try {
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
    const status = r.status ?? 1;
    const durationMs = Date.now() - started;
    let json;
    try {
      json = JSON.parse(readFileSync(report, 'utf8'));
    } catch {
      // The tier did not even report: count it as one failure.
      return {
        status: 1,
        passed: 0,
        failed: 1,
        skipped: 0,
        failures: [{ name: `${tier}: no report`, file: '', message: `vitest exited with ${status}`, durationMs }],
        durationMs,
      };
    }
    /** @type {Failure[]} */
    const failures = [];
    for (const file of json.testResults ?? []) {
      const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
      for (const t of failedTests) {
        failures.push({
          name: t.fullName ?? t.title,
          file: file.name,
          message: firstLine(t.failureMessages?.[0]),
          durationMs: Math.round(t.duration ?? 0),
        });
      }
      // A file that fails to load (or a hook that throws) has no failed test of its own.
      if (file.status === 'failed' && failedTests.length === 0) {
        failures.push({ name: '(file failed outside any test)', file: file.name, message: firstLine(file.message), durationMs: 0 });
      }
    }
    return {
      status,
      passed: json.numPassedTests ?? 0,
      failed: (json.numFailedTests ?? 0) || (status !== 0 ? Math.max(1, failures.length) : 0),
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
      failures,
      durationMs,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** @param {string | undefined} text */
function firstLine(text) {
  return (
    (text ?? '')
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 300) ?? ''
  );
}

// A busy loop on a worker thread, while the main thread watches its standard input: when the
// process that started it goes away by any means the pipe closes and the hog exits, so a killed
// flake hunt never leaves a core spinning on a shared machine.
const HOG = `
const { Worker } = require('node:worker_threads');
new Worker('for (;;) {}', { eval: true });
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
`;

/**
 * Starts `count` CPU hogs (one keeps one core busy). Returns a function that stops them.
 * @param {number} count
 * @returns {() => void}
 */
export function startCpuHogs(count) {
  const hogs = Array.from({ length: count }, () => spawn(process.execPath, ['-e', HOG], { stdio: ['pipe', 'ignore', 'inherit'] }));
  return () => {
    for (const hog of hogs) hog.kill('SIGKILL');
  };
}
