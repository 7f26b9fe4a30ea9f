#!/usr/bin/env node
// Finds or fetches the pinned livekit-server binary. Usable as a CLI (`npm run livekit`) and as a
// module (test global setup, `npm start`). Every way is tried in a fixed order, one line per step,
// and the first that yields a binary reporting the pinned version wins.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIVEKIT_VERSION = '1.13.5';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const exe = platform() === 'win32' ? 'livekit-server.exe' : 'livekit-server';
export const toolsBin = join(repoRoot, '.tools', 'bin');
export const cachedBinary = join(toolsBin, exe);

function say(quiet, line) {
  if (!quiet) process.stderr.write(`[livekit-server] ${line}\n`);
}

/** The version a binary reports, or null when it does not run. */
export function binaryVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return null;
  const m = /(\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? m[1] : null;
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function accept(bin, label, quiet, strictVersion) {
  const v = binaryVersion(bin);
  if (!v) {
    say(quiet, `${label}: ${bin} does not run; skipping`);
    return false;
  }
  if (strictVersion && v !== LIVEKIT_VERSION) {
    say(quiet, `${label}: ${bin} is v${v}, want v${LIVEKIT_VERSION}; skipping`);
    return false;
  }
  say(quiet, `${label}: using ${bin} (v${v})`);
  return true;
}

async function fromRelease(quiet) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[platform()];
  const cpu = { x64: 'amd64', arm64: 'arm64', arm: 'armv7' }[arch()];
  if (!os || !cpu) throw new Error(`no release archive for ${platform()}/${arch()}`);
  const ext = os === 'windows' ? 'zip' : 'tar.gz';
  const url = `https://github.com/livekit/livekit/releases/download/v${LIVEKIT_VERSION}/livekit_${LIVEKIT_VERSION}_${os}_${cpu}.${ext}`;
  say(quiet, `release archive: fetching ${url}`);
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const work = join(tmpdir(), `livekit-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    const archive = join(work, `livekit.${ext}`);
    writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    execFileSync('tar', ['-xf', archive, '-C', work], { stdio: 'ignore' });
    mkdirSync(toolsBin, { recursive: true });
    renameSync(join(work, exe), cachedBinary);
    chmodSync(cachedBinary, 0o755);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function fromGoInstall(quiet) {
  const go = onPath(platform() === 'win32' ? 'go.exe' : 'go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) throw new Error('Go is not installed');
  mkdirSync(toolsBin, { recursive: true });
  say(quiet, `go install: building github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_VERSION} (a few minutes the first time)`);
  const r = spawnSync(go, ['install', `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_VERSION}`], {
    env: { ...process.env, GOBIN: toolsBin },
    stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`go install exited with ${r.status}`);
  renameSync(join(toolsBin, platform() === 'win32' ? 'server.exe' : 'server'), cachedBinary);
}

/**
 * Returns the path of a livekit-server binary, obtaining it when needed.
 * $LIVEKIT_SERVER_BIN is trusted as given (any version); the others must be the pinned version.
 */
export async function obtainLivekitServer({ quiet = false } = {}) {
  const fromEnv = process.env.LIVEKIT_SERVER_BIN;
  if (fromEnv) {
    if (accept(fromEnv, '$LIVEKIT_SERVER_BIN', quiet, false)) return fromEnv;
    throw new Error(`LIVEKIT_SERVER_BIN=${fromEnv} is set but does not run`);
  }
  say(quiet, '$LIVEKIT_SERVER_BIN: not set');
  const system = onPath(exe);
  if (system && accept(system, 'PATH', quiet, true)) return system;
  if (!system) say(quiet, 'PATH: no livekit-server');
  if (existsSync(cachedBinary) && accept(cachedBinary, '.tools/bin', quiet, true)) return cachedBinary;
  if (!existsSync(cachedBinary)) say(quiet, '.tools/bin: not there yet');
  const ways = [
    ['release archive', () => fromRelease(quiet)],
    ['go install', async () => fromGoInstall(quiet)],
  ];
  const failures = [];
  for (const [label, run] of ways) {
    try {
      await run();
      if (accept(cachedBinary, label, quiet, true)) return cachedBinary;
      failures.push(`${label}: produced no working binary`);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      say(quiet, `${label}: failed (${reason})`);
      failures.push(`${label}: ${reason}`);
    }
  }
  throw new Error(
    `could not obtain livekit-server v${LIVEKIT_VERSION}. Tried $LIVEKIT_SERVER_BIN, PATH, .tools/bin, ${failures.join('; ')}. ` +
      'Install Go 1.26+ (then run `npm run livekit`) or set LIVEKIT_SERVER_BIN to a livekit-server binary.',
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  obtainLivekitServer()
    .then((bin) => process.stdout.write(`${bin}\n`))
    .catch((err) => {
      process.stderr.write(`[livekit-server] ${err.message}\n`);
      process.exit(1);
    });
}
