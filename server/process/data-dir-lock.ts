// One team server per data dir. The lock is an operating-system file lock (SQLite's, on a small
// file of its own: fcntl on Linux and macOS, LockFileEx on Windows), so it is released by the
// kernel however its holder ends, and a killed server never leaves a stale lock to clear by hand.
// The holder's pid sits in a plain file beside it, only to name it in the refusal.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';

const LOCK_FILE = 'parley.lock';
const OWNER_FILE = 'team-server.pid';

export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number | undefined,
  ) {
    super(
      `${dataDir} is in use by another Parley team server${ownerPid ? ` (pid ${ownerPid})` : ''}: stop it, or give this one its own DATA_DIR`,
    );
  }
}

export interface DataDirLock {
  /** The data dir's run/ folder (mode 0700): records of children, their private config files. */
  readonly runDir: string;
  release(): void;
}

/** Takes the data dir for this process, or throws DataDirInUseError at once (never waits). */
export function lockDataDir(dataDir: string): DataDirLock {
  const runDir = join(dataDir, 'run');
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  // It holds the SFU's config (its secret) while the SFU starts: whoever made it, only we may look.
  chmodSync(runDir, 0o700);
  const lockPath = join(dataDir, LOCK_FILE);
  // Created here first so it gets 0600 rather than the umask's default.
  closeSync(openSync(lockPath, 'a', 0o600));
  const db = new Database(lockPath);
  try {
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new DataDirInUseError(dataDir, ownerPid(runDir));
  }
  const ownerFile = join(runDir, OWNER_FILE);
  writeFileSync(ownerFile, `${process.pid}\n`, { mode: 0o600 });
  let released = false;
  return {
    runDir,
    release() {
      if (released) return;
      released = true;
      rmSync(ownerFile, { force: true });
      db.close();
    },
  };
}

function ownerPid(runDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(runDir, OWNER_FILE), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
