// `npm run bench`: every figure in turn, each in its own process (one crashing or hanging figure
// must not take the others with it), each updating its own section of docs/benchmarks.md.
// Extra arguments are passed to every figure (e.g. `npm run bench -- --smoke`). Always exits 0:
// benchmarks never fail CI. Add --only join-time,latency to run a subset.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const figures = ['join-time', 'latency', 'room-scale', 'team-server', 'renderer'];
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1]?.split(',') : undefined;
const passThrough = onlyAt >= 0 ? args.filter((_, i) => i !== onlyAt && i !== onlyAt + 1) : args;
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
