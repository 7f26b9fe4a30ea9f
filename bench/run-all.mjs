// `npm run bench`: every figure in turn, each in its own process (one crashing or hanging figure
// must not take the others with it), each updating its own section of docs/benchmarks.md.
// Extra arguments are passed to every figure (e.g. `npm run bench -- --smoke`). Always exits 0:
// benchmarks never fail CI. Add --only join-time,latency to run a subset.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const figures = ['join-time', 'latency', 'room-scale', 'team-server', 'renderer', 'guest-load', 'direct-call', 'recording'];
const args = process.argv.slice(2);
// --only is ours; every other argument goes to each figure verbatim (they parse their own).
const { values, tokens } = parseArgs({ options: { only: { type: 'string' } }, strict: false, allowPositionals: true, tokens: true });
const ours = new Set(
  tokens
    .filter((t) => t.kind === 'option' && t.name === 'only')
    .flatMap((t) => (t.inlineValue === false ? [t.index, t.index + 1] : [t.index])),
);
const only = typeof values.only === 'string' ? values.only.split(',') : undefined;
const passThrough = args.filter((_, i) => !ours.has(i));
// A figure that runs far past its normal time is stuck; stop it and go on.
const TIMEOUT_MS = 20 * 60 * 1000;

const summary = [];
for (const figure of figures) {
  if (only && !only.includes(figure)) continue;
  console.log(`\n=== bench/${figure}.ts ${passThrough.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(root, 'bench', `${figure}.ts`), ...passThrough], {
    cwd: root,
    stdio: 'inherit',
    timeout: TIMEOUT_MS,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  summary.push(
    `${figure}: ${r.error ? `stopped (${r.error.message})` : r.status === 0 ? 'done' : `exit ${r.status ?? r.signal}`} in ${seconds} s`,
  );
}
console.log(`\n${summary.join('\n')}\nResults: docs/benchmarks.md, charts: docs/benchmarks/`);
process.exit(0);
