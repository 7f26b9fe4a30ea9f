// The child-process supervision every Parley child goes through (server/process/), on a plain
// program so it holds for children other than the SFU.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFile, stopStaleChildren, writeChildRecord } from '@server/process/child-records';
import { DataDirInUseError, lockDataDir } from '@server/process/data-dir-lock';
import { isAlive, waitForExit } from '@server/process/process-table';
import { ChildStartError, spawnSupervised } from '@server/process/supervised-child';

const SLEEP = '/bin/sleep';

describe('supervised children', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-supervise-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records a running child, and on stop ends it, its lifeline and its record', async () => {
    const child = await spawnSupervised({ name: 'sleeper', executable: SLEEP, args: ['600'], env: {}, runDir: dir, stdio: 'ignore' });
    expect(isAlive(child.pid)).toBe(true);
    expect(child.watcherPid && isAlive(child.watcherPid)).toBe(true);
    expect(existsSync(recordFile(dir, 'sleeper'))).toBe(true);

    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isAlive(child.pid)).toBe(false);
    expect(await waitForExit(child.watcherPid!, 5_000)).toBe(true);
    expect(existsSync(recordFile(dir, 'sleeper'))).toBe(false);
    await child.stop(); // idempotent
  });

  it('a child that exits by itself takes its lifeline with it (the lifeline never signals a reused pid)', async () => {
    const child = await spawnSupervised({ name: 'short', executable: SLEEP, args: ['0'], env: {}, stdio: 'ignore' });
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(await waitForExit(child.watcherPid!, 5_000)).toBe(true);
  });

  it('a program that cannot be started is a ChildStartError naming it', async () => {
    const err = await spawnSupervised({ name: 'missing', executable: join(dir, 'no-such-program'), args: [], env: {} }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ChildStartError);
    expect((err as ChildStartError).message).toMatch(/could not start missing .*no-such-program.*ENOENT/);
  });

  it('stops a stale child that runs its recorded program, and leaves alone a pid that now runs something else', async () => {
    const stale = spawn(SLEEP, ['600'], { stdio: 'ignore' });
    const unrelated = spawn(SLEEP, ['601'], { stdio: 'ignore' });
    try {
      writeChildRecord(dir, 'stale', { pid: stale.pid!, executable: SLEEP, owner: 1, startedAt: new Date().toISOString() });
      writeChildRecord(dir, 'reused', { pid: unrelated.pid!, executable: '/opt/livekit/livekit-server', owner: 1, startedAt: '' });
      const stopped = await stopStaleChildren(dir);
      expect(stopped).toEqual([{ name: 'stale', pid: stale.pid, executable: SLEEP, stopped: true }]);
      expect(await waitForExit(stale.pid!, 5_000)).toBe(true);
      expect(isAlive(unrelated.pid!)).toBe(true);
      expect(existsSync(recordFile(dir, 'stale'))).toBe(false);
      expect(existsSync(recordFile(dir, 'reused'))).toBe(false);
    } finally {
      stale.kill('SIGKILL');
      unrelated.kill('SIGKILL');
    }
  });

  it('the data dir lock is held until released, and refuses a second holder at once', () => {
    const dataDir = join(dir, 'data');
    const lock = lockDataDir(dataDir);
    const started = Date.now();
    expect(() => lockDataDir(dataDir)).toThrow(DataDirInUseError);
    // Well under SQLite's usual 5 s busy wait: a second server is told at once.
    expect(Date.now() - started).toBeLessThan(3_000);
    lock.release();
    lockDataDir(dataDir).release();
  });
});
