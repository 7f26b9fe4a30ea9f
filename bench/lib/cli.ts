// Shared command line of every figure script:
//   --smoke            tiny run for the smoke tests (seconds, not minutes)
//   --runs N           override the number of runs
//   --doc FILE         markdown file to update (default docs/benchmarks.md)
//   --charts DIR       where charts go (default docs/benchmarks)
//   --json FILE        also dump the structured result
//   --quiet            no progress lines
//   --strict           exit non-zero when the figure fails (a benchmark never fails CI otherwise)
// A figure may add options of its own (room-scale's --sizes); anything else is refused by name.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs as parseCommandLine, type ParseArgsConfig } from 'node:util';
import type { OutputPaths } from './report';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface BenchOptions {
  smoke: boolean;
  runs?: number;
  out: OutputPaths;
  /** Echo progress lines (off in smoke tests to keep their output short). */
  verbose: boolean;
}

const COMMON_OPTIONS = {
  smoke: { type: 'boolean' },
  runs: { type: 'string' },
  doc: { type: 'string' },
  charts: { type: 'string' },
  json: { type: 'string' },
  quiet: { type: 'boolean' },
  strict: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** A figure's own options, in node:util parseArgs form (string values only). */
export type ExtraOptions = Record<string, { type: 'string' | 'boolean' }>;

export class BenchUsageError extends Error {
  readonly code = 'BENCH_USAGE';
}

/** The common options, plus the raw values of `extra` ones. Throws BenchUsageError on anything unknown. */
export function parseArgs(
  argv: string[],
  extra: ExtraOptions = {},
): BenchOptions & { strict: boolean; extra: Record<string, string | boolean | undefined> } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseCommandLine({ args: argv, options: { ...COMMON_OPTIONS, ...extra }, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new BenchUsageError((err as Error).message);
  }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const runsText = str('runs');
  const runs = runsText === undefined ? undefined : Number(runsText);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1))
    throw new BenchUsageError(`--runs takes a whole number >= 1 (got ${runsText})`);
  const json = str('json');
  return {
    smoke: values.smoke === true,
    ...(runs ? { runs } : {}),
    out: {
      doc: resolve(str('doc') ?? resolve(repoRoot, 'docs/benchmarks.md')),
      chartsDir: resolve(str('charts') ?? resolve(repoRoot, 'docs/benchmarks')),
      ...(json ? { json: resolve(json) } : {}),
    },
    verbose: values.quiet !== true,
    strict: values.strict === true,
    extra: Object.fromEntries(Object.keys(extra).map((k) => [k, values[k]])),
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
export function runMain(
  fn: (o: BenchOptions, extra: Record<string, string | boolean | undefined>) => Promise<unknown>,
  extraOptions: ExtraOptions = {},
): void {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2), extraOptions);
  } catch (err) {
    console.error(`bench: ${(err as Error).message}`);
    process.exit(2);
  }
  const { strict, extra, ...opts } = parsed;
  fn(opts, extra).then(
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
