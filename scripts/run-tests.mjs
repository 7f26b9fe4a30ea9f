#!/usr/bin/env node
// Runs the three tiers one after another (unit, then integration against the real SFU, then e2e in
// real Chromium): on two cores, Chromium and livekit-server competing with each other only makes
// timings noisy. Prints one closing line over all tiers: "tests: N passed, N failed".
//   node scripts/run-tests.mjs [--tier <name>]... [vitest arguments...]
// Arguments it does not know go to every vitest call (e.g. `npm test -- -t 'mute'`).
import { parseArgs } from 'node:util';
import { runTier, TIERS } from './vitest-tier.mjs';

const { values, tokens } = parseArgs({
  options: { tier: { type: 'string', multiple: true } },
  strict: false,
  allowPositionals: true,
  tokens: true,
});
const args = process.argv.slice(2);
// Everything but our own option, verbatim and in order (parseArgs cannot know vitest's flags).
const ours = new Set(
  tokens
    .filter((t) => t.kind === 'option' && t.name === 'tier')
    .flatMap((t) => (t.inlineValue === false ? [t.index, t.index + 1] : [t.index])),
);
const extra = args.filter((_, i) => !ours.has(i));
const tiers = values.tier?.length ? values.tier.map(String) : TIERS;
for (const tier of tiers) {
  if (!TIERS.includes(tier)) {
    process.stderr.write(`unknown tier "${tier}" (tiers: ${TIERS.join(', ')})\n`);
    process.exit(2);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
for (const tier of tiers) {
  const r = runTier(tier, extra);
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  if (r.status !== 0) exitCode = 1;
}
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
if (skipped > 0) {
  process.stderr.write('Skipped tests are not allowed: every test runs.\n');
  exitCode = 1;
}
process.exit(exitCode);
