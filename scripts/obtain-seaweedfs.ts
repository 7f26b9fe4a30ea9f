// Finds or builds SeaweedFS's `weed`, the S3-compatible server the recording storage test runs
// against (Apache-2.0; MinIO is AGPL). `go install` refuses SeaweedFS (its go.mod has a replace
// directive), so scripts/seaweedfs is a wrapper module that requires it with the same replace and
// builds the command from there. The binary is cached in .tools/bin with a stamp of the version.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wrapper = join(repoRoot, 'scripts', 'seaweedfs');
export const WEED_PACKAGE = 'github.com/seaweedfs/seaweedfs/weed';
const toolsBin = join(repoRoot, '.tools', 'bin');
export const cachedWeed = join(toolsBin, 'weed');
const stampFile = `${cachedWeed}.version`;
const HEARTBEAT_MS = 30_000;
/**
 * A second copy outside the checkout, per version: a fresh clone on the same machine (CI runs in
 * one) finds it instead of building again.
 */
const userCopy = (version: string) => join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'parley-tools', `weed-${version}`);

/** The version the wrapper module pins (its go.mod is the one place it is written). */
export function pinnedVersion(): string {
  const m = /github\.com\/seaweedfs\/seaweedfs (v\S+)/.exec(readFileSync(join(wrapper, 'go.mod'), 'utf8'));
  if (!m) throw new Error('scripts/seaweedfs/go.mod does not require github.com/seaweedfs/seaweedfs');
  return m[1]!;
}

function say(quiet: boolean, line: string): void {
  if (!quiet) process.stderr.write(`[seaweedfs] ${line}\n`);
}

function runs(bin: string): boolean {
  return spawnSync(bin, ['version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

function findGo(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, 'go'))) return join(dir, 'go');
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null;
}

async function build(quiet: boolean, version: string): Promise<void> {
  const go = findGo();
  if (!go) throw new Error('Go is not installed: install Go 1.26+ to build SeaweedFS for the S3 storage test');
  mkdirSync(toolsBin, { recursive: true });
  const out = `${cachedWeed}.building`;
  say(quiet, `go build: ${WEED_PACKAGE}@${version} (several minutes the first time)`);
  const started = Date.now();
  const heartbeat = setInterval(() => say(quiet, `go build: still building (${Math.round((Date.now() - started) / 1000)}s)`), HEARTBEAT_MS);
  try {
    const status = await new Promise<number | null>((done, reject) => {
      // -s -w: no symbol tables; the link of this large binary is a good part of the build.
      const child = spawn(go, ['build', '-trimpath', '-ldflags=-s -w', '-o', out, WEED_PACKAGE], {
        cwd: wrapper,
        stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code) => done(code));
    });
    if (status !== 0) throw new Error(`go build exited with ${status}`);
  } finally {
    clearInterval(heartbeat);
  }
  renameSync(out, cachedWeed);
  writeFileSync(stampFile, `${version}\n`);
  say(quiet, `go build: built in ${Math.round((Date.now() - started) / 1000)}s`);
}

/** The path of a `weed` binary: $SEAWEEDFS_BIN as given, else .tools/bin's when it is the pinned version, else built now. */
export async function obtainSeaweedfs({ quiet = false }: { quiet?: boolean } = {}): Promise<string> {
  const fromEnv = process.env.SEAWEEDFS_BIN;
  if (fromEnv) {
    if (runs(fromEnv)) return fromEnv;
    throw new Error(`SEAWEEDFS_BIN=${fromEnv} is set but does not run`);
  }
  const version = pinnedVersion();
  const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (stamp === version && runs(cachedWeed)) {
    say(quiet, `using ${cachedWeed} (${version})`);
    return cachedWeed;
  }
  const copy = userCopy(version);
  if (runs(copy)) {
    mkdirSync(toolsBin, { recursive: true });
    copyFileSync(copy, cachedWeed);
    writeFileSync(stampFile, `${version}\n`);
    say(quiet, `using ${copy} (${version})`);
    return cachedWeed;
  }
  await build(quiet, version);
  if (!runs(cachedWeed)) throw new Error(`${cachedWeed} was built but does not run`);
  try {
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(cachedWeed, copy);
  } catch {
    // Only a shortcut for the next checkout.
  }
  return cachedWeed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  obtainSeaweedfs({ quiet: process.argv.includes('--quiet') }).then(
    (bin) => process.stdout.write(`${bin}\n`),
    (err: unknown) => {
      process.stderr.write(`[seaweedfs] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
