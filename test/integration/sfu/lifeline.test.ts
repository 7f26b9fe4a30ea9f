// The embedded SFU never outlives its team server, tried as an operator would: `parley-server` in
// its own process (from source, through tsx), killed with SIGKILL the way a crash, the OOM killer
// or a force-quit ends it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { isAlive, waitForExit } from '@server/process/process-table';
import { launchSfu } from '@server/sfu/livekit-launcher';
import { startStack, type TestStack } from '@test/support/stack';

interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  sfuPid: number;
  url: string;
  /** Everything it printed on stderr (its one-line errors). */
  stderr(): string;
}

const spawned: ChildProcessWithoutNullStreams[] = [];
const strays = new Set<number>();

/** `parley-server` on a data dir; resolves once it logged "team server ready". */
function startServerProcess(dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LIVEKIT_SERVER_BIN: inject('livekitBinary'), LOG_LEVEL: 'info' },
  });
  spawned.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let sfuPid = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: { msg?: string; sfuPid?: number; url?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg === 'embedded SFU started' && entry.sfuPid) {
        sfuPid = entry.sfuPid;
        strays.add(sfuPid);
      }
      if (entry.msg === 'team server ready' && entry.url) resolve({ child, sfuPid, url: entry.url, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`parley-server exited (${code}) before it was ready; stderr:\n${err}`)));
  });
}

/** The pids whose parent is `pid` and that have `arg` among their arguments (Linux /proc). */
function childrenOf(pid: number, arg: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (ppid === pid && argv.includes(arg)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the embedded SFU and its team server', () => {
  const dirs: string[] = [];
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-lifeline-'));
    dirs.push(dir);
    return dir;
  };
  let stack: TestStack | undefined;

  afterEach(async () => {
    await stack?.teardown();
    stack = undefined;
    for (const child of spawned.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    // A failed assertion must not leave an SFU behind either.
    for (const pid of strays) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    strays.clear();
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILL of the team server: its SFU and lifeline are gone within 2 s', async () => {
    const server = await startServerProcess(dataDir());
    expect(isAlive(server.sfuPid)).toBe(true);
    const watchers = childrenOf(server.child.pid!, 'parley-lifeline');
    expect(watchers).toHaveLength(1);

    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    await exited(server.child);
    const gone = await waitForExit(server.sfuPid, 10_000);
    const tookMs = Date.now() - killedAt;
    expect(gone).toBe(true);
    expect(tookMs).toBeLessThan(2_000);
    expect(await waitForExit(watchers[0]!, 5_000)).toBe(true);
  });

  it('a second team server on the same data dir refuses with one clear line, and the first keeps serving', async () => {
    const dir = dataDir();
    const first = await startServerProcess(dir);

    const second = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts'], {
      env: { ...process.env, DATA_DIR: dir, PORT: '0', LIVEKIT_SERVER_BIN: inject('livekitBinary'), LOG_LEVEL: 'warn' },
    });
    spawned.push(second);
    let stderr = '';
    second.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await exited(second)).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `parley-server failed to start: ${dir} is in use by another Parley team server (pid ${first.child.pid}): stop it, or give this one its own DATA_DIR`,
    );

    expect((await fetch(`${first.url}/api/v1/server`)).status).toBe(200);
    expect(isAlive(first.sfuPid)).toBe(true);

    // In one process (the desktop app's "Host on this computer" next to a test, say) the same holds.
    const err = await startStack({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DATA_DIR_IN_USE' });
  });

  it('a stale SFU left by a killed run is stopped by the next start on that data dir', async () => {
    const dir = dataDir();
    // What a run killed together with its lifeline (or a build without one) leaves: an SFU still
    // running, and its record in run/. The SFU is launched here so that nothing else can end it
    // meanwhile (a real orphan also dies at its next log line, its stdout pipe being broken).
    mkdirSync(join(dir, 'run'), { recursive: true, mode: 0o700 });
    const old = await launchSfu({ binary: inject('livekitBinary'), runDir: join(dir, 'run') });
    strays.add(old.pid);
    const recordPath = join(dir, 'run', 'livekit-server.child.json');
    expect((JSON.parse(readFileSync(recordPath, 'utf8')) as { pid: number }).pid).toBe(old.pid);

    stack = await startStack({ dataDir: dir });
    expect(isAlive(old.pid)).toBe(false);
    await old.stop(); // resolves at once: it has exited
    expect(stack.sfu?.pid).not.toBe(old.pid);
    expect((await fetch(stack.sfu!.httpUrl)).ok).toBe(true);
    // The record is now the new SFU's.
    expect((JSON.parse(readFileSync(recordPath, 'utf8')) as { pid: number }).pid).toBe(stack.sfu?.pid);
  });
});
