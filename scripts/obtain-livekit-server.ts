// Finds or fetches the pinned livekit-server binary. Usable as a CLI (`npm run livekit`) and as a
// module (test global setup, `npm start`, `npm test`'s dependency check). Every way is tried in a
// fixed order, one line per step, and the first that yields a binary reporting the pinned version
// wins. Where to look is server/sfu/livekit-binary.ts's to say; this script only obtains.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { livekitCandidates, livekitExecutableName, toolsBinary } from '../server/sfu/livekit-binary';

export const LIVEKIT_VERSION = '1.13.5';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const toolsBin = join(repoRoot, '.tools', 'bin');
export const cachedBinary = toolsBinary(repoRoot);

/** A download that receives nothing for this long is given up (the whole download may take longer). */
const IDLE_TIMEOUT_MS = 30_000;
/** How often a long step says it is still going. */
const HEARTBEAT_MS = 15_000;

export interface ObtainOptions {
  quiet?: boolean;
}

function say(quiet: boolean, line: string): void {
  if (!quiet) process.stderr.write(`[livekit-server] ${line}\n`);
}

function elapsed(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The version a binary reports, or null when it does not run. */
export function binaryVersion(bin: string): string | null {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return null;
  const m = /(\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? m[1]! : null;
}

function accept(bin: string, label: string, quiet: boolean, strictVersion: boolean): boolean {
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

/**
 * Streams `url` to `file`, giving up only when no byte arrives for IDLE_TIMEOUT_MS, and says how far
 * it got every few seconds. Returns the SHA-256 of what it wrote.
 */
async function download(url: string, file: string, quiet: boolean): Promise<string> {
  const idle = new AbortController();
  let idleTimer = setTimeout(() => idle.abort(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000}s`)), IDLE_TIMEOUT_MS);
  const touch = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000}s`)), IDLE_TIMEOUT_MS);
  };
  const started = Date.now();
  try {
    const res = await fetch(url, { signal: idle.signal });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const total = Number(res.headers.get('content-length')) || 0;
    const hash = createHash('sha256');
    const out = createWriteStream(file);
    let received = 0;
    let lastReport = Date.now();
    const mb = (n: number) => (n / 1_048_576).toFixed(1);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      touch();
      hash.update(chunk);
      received += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      if (Date.now() - lastReport >= 2_000) {
        lastReport = Date.now();
        say(
          quiet,
          `release archive: ${mb(received)}${total ? ` of ${mb(total)} MB (${Math.round((received / total) * 100)}%)` : ' MB'}, ${elapsed(started)}`,
        );
      }
    }
    await new Promise<void>((r, reject) => out.end((err?: Error | null) => (err ? reject(err) : r())));
    if (total && received !== total) throw new Error(`got ${received} of ${total} bytes`);
    say(quiet, `release archive: ${mb(received)} MB in ${elapsed(started)}`);
    return hash.digest('hex');
  } finally {
    clearTimeout(idleTimer);
  }
}

/** The SHA-256 the release's checksums.txt gives for `archive`. */
async function publishedChecksum(base: string, archive: string): Promise<string> {
  const res = await fetch(`${base}/checksums.txt`, { signal: AbortSignal.timeout(IDLE_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`checksums.txt: HTTP ${res.status}`);
  for (const line of (await res.text()).split('\n')) {
    const [sum, name] = line.trim().split(/\s+/);
    if (name === archive && sum && /^[0-9a-f]{64}$/.test(sum)) return sum;
  }
  throw new Error(`checksums.txt names no ${archive}`);
}

/**
 * Downloads `${base}/${name}` to `file` and checks it against the release's checksums.txt; a
 * mismatch (a truncated or altered download) removes the file and throws.
 */
export async function fetchVerified(base: string, name: string, file: string, quiet: boolean): Promise<void> {
  say(quiet, `release archive: fetching ${base}/${name}`);
  const expected = await publishedChecksum(base, name);
  const actual = await download(`${base}/${name}`, file, quiet);
  if (actual !== expected) {
    rmSync(file, { force: true });
    throw new Error(`checksum mismatch: ${name} hashes to ${actual}, checksums.txt says ${expected}`);
  }
  say(quiet, `release archive: SHA-256 matches checksums.txt (${actual.slice(0, 12)}…)`);
}

async function fromRelease(quiet: boolean): Promise<void> {
  const os = ({ linux: 'linux', darwin: 'darwin', win32: 'windows' } as Record<string, string>)[platform()];
  const cpu = ({ x64: 'amd64', arm64: 'arm64', arm: 'armv7' } as Record<string, string>)[arch()];
  if (!os || !cpu) throw new Error(`no release archive for ${platform()}/${arch()}`);
  const ext = os === 'windows' ? 'zip' : 'tar.gz';
  const base = `https://github.com/livekit/livekit/releases/download/v${LIVEKIT_VERSION}`;
  const name = `livekit_${LIVEKIT_VERSION}_${os}_${cpu}.${ext}`;
  const work = join(tmpdir(), `livekit-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    const archive = join(work, name);
    await fetchVerified(base, name, archive, quiet);
    execFileSync('tar', ['-xf', archive, '-C', work], { stdio: 'ignore' });
    mkdirSync(toolsBin, { recursive: true });
    renameSync(join(work, livekitExecutableName()), cachedBinary);
    chmodSync(cachedBinary, 0o755);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function findGo(): string | null {
  const exe = platform() === 'win32' ? 'go.exe' : 'go';
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, exe))) return join(dir, exe);
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null;
}

async function fromGoInstall(quiet: boolean): Promise<void> {
  const go = findGo();
  if (!go) throw new Error('Go is not installed');
  mkdirSync(toolsBin, { recursive: true });
  const pkg = `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_VERSION}`;
  say(quiet, `go install: building ${pkg} (a few minutes the first time)`);
  const started = Date.now();
  // go install is silent while it downloads and compiles: say it is alive now and then.
  const heartbeat = setInterval(() => say(quiet, `go install: still building (${elapsed(started)})`), HEARTBEAT_MS);
  try {
    const status = await new Promise<number | null>((resolveStatus, reject) => {
      const child = spawn(go, ['install', pkg], {
        env: { ...process.env, GOBIN: toolsBin },
        stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code) => resolveStatus(code));
    });
    if (status !== 0) throw new Error(`go install exited with ${status}`);
  } finally {
    clearInterval(heartbeat);
  }
  say(quiet, `go install: built in ${elapsed(started)}`);
  renameSync(join(toolsBin, platform() === 'win32' ? 'server.exe' : 'server'), cachedBinary);
}

/**
 * Returns the path of a livekit-server binary, obtaining it when needed.
 * $LIVEKIT_SERVER_BIN is trusted as given (any version); the others must be the pinned version.
 */
export async function obtainLivekitServer({ quiet = false }: ObtainOptions = {}): Promise<string> {
  const fromEnv = process.env.LIVEKIT_SERVER_BIN;
  if (fromEnv) {
    if (accept(fromEnv, '$LIVEKIT_SERVER_BIN', quiet, false)) return fromEnv;
    throw new Error(`LIVEKIT_SERVER_BIN=${fromEnv} is set but does not run`);
  }
  say(quiet, '$LIVEKIT_SERVER_BIN: not set');
  const candidates = livekitCandidates({ root: repoRoot, resourcesPath: undefined });
  for (const { where, path } of candidates) if (accept(path, where, quiet, true)) return path;
  if (!candidates.some((c) => c.where === 'PATH')) say(quiet, 'PATH: no livekit-server');
  if (!existsSync(cachedBinary)) say(quiet, '.tools/bin: not there yet');
  const ways: Array<[string, () => Promise<void>]> = [
    ['release archive', () => fromRelease(quiet)],
    ['go install', () => fromGoInstall(quiet)],
  ];
  const failures: string[] = [];
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

const USAGE = `usage: npm run livekit [-- --quiet]
Finds livekit-server v${LIVEKIT_VERSION} ($LIVEKIT_SERVER_BIN, PATH, .tools/bin) or obtains it into .tools/bin
(release archive, checked against its checksums.txt; else go install), and prints its path.`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let quiet = false;
  try {
    const { values } = parseArgs({ options: { quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    quiet = values.quiet ?? false;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  obtainLivekitServer({ quiet }).then(
    (bin) => process.stdout.write(`${bin}\n`),
    (err: unknown) => {
      process.stderr.write(`[livekit-server] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
