// Shared command line of every figure script:
//   --smoke            tiny run for the smoke tests (seconds, not minutes)
//   --runs N           override the number of runs
//   --doc FILE         markdown file to update (default docs/benchmarks.md)
//   --charts DIR       where charts go (default docs/benchmarks)
//   --json FILE        also dump the structured result
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { OutputPaths } from './report';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface BenchOptions {
  smoke: boolean;
  runs?: number;
  out: OutputPaths;
  /** Echo progress lines (off in smoke tests to keep their output short). */
  verbose: boolean;
}

export function parseArgs(argv: string[]): BenchOptions {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = get('--runs');
  const json = get('--json');
  return {
    smoke: argv.includes('--smoke'),
    ...(runs ? { runs: Math.max(1, Number.parseInt(runs, 10)) } : {}),
    out: {
      doc: resolve(get('--doc') ?? resolve(repoRoot, 'docs/benchmarks.md')),
      chartsDir: resolve(get('--charts') ?? resolve(repoRoot, 'docs/benchmarks')),
      ...(json ? { json: resolve(json) } : {}),
    },
    verbose: !argv.includes('--quiet'),
  };
}

/** True when the module is the script node was started with (not imported by a test). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  return !!entry && pathToFileURL(resolve(entry)).href === metaUrl;
}

/**
 * Runs a figure as a script. A benchmark never fails CI: a crash is reported and the exit code stays 0
 * unless --strict is given (the smoke tests call the functions directly and do see errors).
 */
export function runMain(fn: (o: BenchOptions) => Promise<unknown>): void {
  const opts = parseArgs(process.argv.slice(2));
  const strict = process.argv.includes('--strict');
  fn(opts).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('benchmark failed:', err);
      process.exit(strict ? 1 : 0);
    },
  );
}

export function logger(o: BenchOptions): (msg: string) => void {
  return o.verbose ? (msg) => console.log(`[bench] ${msg}`) : () => undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
