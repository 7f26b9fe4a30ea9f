#!/usr/bin/env node
// The flake hunt (docs/testing.md): runs one tier N times in a row, each run a fresh vitest, and
// says which tests failed in which run. `--load` keeps other cores busy meanwhile, as a CI machine
// shared with other jobs would.
//   npm run test:repeat -- <tier> <n> [--load [--cores N]] [--bail] [-- vitest arguments...]
//   npm run test:repeat -- e2e 5 --load                 # the e2e tier five times beside one busy core
//   npm run test:repeat -- integration 10 -- test/integration/start-command.test.ts
import { parseArgs } from 'node:util';
import { runTier, startCpuHogs, TIERS } from './vitest-tier.mjs';

const USAGE = `usage: npm run test:repeat -- <${TIERS.join('|')}> <runs> [--load [--cores N]] [--bail] [-- vitest arguments...]
  --load      keep one core (or --cores N) busy with a CPU hog during every run
  --bail      stop at the first failing run`;

function fail(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const dashdash = process.argv.indexOf('--', 2);
const own = dashdash >= 0 ? process.argv.slice(2, dashdash) : process.argv.slice(2);
const extra = dashdash >= 0 ? process.argv.slice(dashdash + 1) : [];
let parsed;
try {
  parsed = parseArgs({
    args: own,
    options: { load: { type: 'boolean' }, cores: { type: 'string' }, bail: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
} catch (err) {
  fail(err.message);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [tier, runsText, ...rest] = positionals;
if (!tier || !TIERS.includes(tier)) fail(`which tier? (${TIERS.join(', ')})`);
const runs = Number(runsText);
if (!Number.isInteger(runs) || runs < 1) fail(`how many runs? (got ${runsText ?? 'nothing'})`);
if (rest.length) fail(`unexpected ${rest.join(' ')}`);
if (values.cores !== undefined && !values.load) fail('--cores goes with --load');
const cores = values.load ? Number(values.cores ?? 1) : 0;
if (!Number.isInteger(cores) || cores < 0) fail(`--cores takes a number (got ${values.cores})`);

const stopHogs = startCpuHogs(cores);
process.on('exit', stopHogs);
const when = cores ? `, ${cores} core${cores > 1 ? 's' : ''} kept busy` : '';
const results = [];
for (let i = 1; i <= runs; i++) {
  process.stdout.write(`\n=== test:repeat ${tier} run ${i}/${runs}${when} ===\n`);
  const r = runTier(tier, extra);
  results.push(r);
  const line = `=== run ${i}/${runs}: ${r.passed} passed, ${r.failed} failed in ${Math.round(r.durationMs / 1000)} s ===`;
  process.stdout.write(`${line}\n`);
  for (const f of r.failures)
    process.stdout.write(`    FAILED ${f.name} (${f.file.replace(`${process.cwd()}/`, '')}, ${f.durationMs} ms): ${f.message}\n`);
  if (values.bail && r.status !== 0) break;
}
stopHogs();

const clean = results.filter((r) => r.status === 0).length;
process.stdout.write(`\ntest:repeat ${tier}${when}: ${clean} of ${results.length} runs passed\n`);
const byTest = new Map();
for (const [i, r] of results.entries()) {
  for (const f of r.failures) {
    const entry = byTest.get(f.name) ?? { runs: [], message: f.message };
    entry.runs.push(i + 1);
    byTest.set(f.name, entry);
  }
}
for (const [name, { runs: failedIn, message }] of byTest) {
  process.stdout.write(`  ${name}: failed in run ${failedIn.join(', ')} — ${message}\n`);
}
process.exit(clean === results.length ? 0 : 1);
