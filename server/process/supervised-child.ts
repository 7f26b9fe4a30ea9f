// The one way Parley starts a long-running child (the SFU today; recording or TURN later): the
// child never outlives this process (see lifeline.ts), a record in the data dir lets the next run
// stop it if both were killed at once (child-records.ts), and stop() ends it within a bound.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { attachLifeline } from './lifeline';
import { removeChildRecord, writeChildRecord } from './child-records';

export interface SuperviseOptions {
  /** Names the child in its record file (run/<name>.child.json); letters, digits and dashes. */
  name: string;
  executable: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The data dir's run/ folder; without it no record is kept (a child with no data dir). */
  runDir?: string;
  cwd?: string;
  /** Default: no stdin, stdout and stderr piped to us. */
  stdio?: StdioOptions;
  /**
   * What stop() sends, each after the given milliseconds since stop() began. Default: SIGTERM at
   * once, SIGKILL after 5 s.
   */
  stopSignals?: ReadonlyArray<readonly [NodeJS.Signals, number]>;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SupervisedChild {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its lifeline watcher (POSIX), for tests. */
  readonly watcherPid: number | undefined;
  /** Settles when the child has exited, however that happened. */
  readonly exited: Promise<ChildExit>;
  /** True until the child has exited. */
  running(): boolean;
  /** Ends the child (see stopSignals); idempotent; resolves once it has exited. */
  stop(): Promise<ChildExit>;
}

export class ChildStartError extends Error {
  readonly code = 'CHILD_START_FAILED';
  constructor(name: string, executable: string, cause: Error) {
    super(`could not start ${name} (${executable}): ${cause.message}`, { cause });
  }
}

const live = new Set<ChildProcess>();
let hooksInstalled = false;

// When this process exits on its own terms (process.exit, an uncaught exception, a signal nobody
// handles), its children go with it at once rather than a second later through the lifeline.
// Where the application handles a signal itself (a graceful close that stops children through
// stop()), these hooks stay out of its way.
const signalNumbers = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const killAll = (): void => {
    for (const child of live) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const [signal, number] of Object.entries(signalNumbers)) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      killAll();
      process.exit(128 + number);
    });
  }
}

/** Starts `executable` as a supervised child; rejects with ChildStartError if it cannot be started. */
export async function spawnSupervised(opts: SuperviseOptions): Promise<SupervisedChild> {
  // The name becomes a file name in run/.
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(opts.name))
    throw new Error(`child name must be letters, digits and dashes (got ${JSON.stringify(opts.name)})`);
  installExitHooks();
  const child = spawn(opts.executable, opts.args, {
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
    env: opts.env,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    windowsHide: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new ChildStartError(opts.name, opts.executable, err)));
  });
  const pid = child.pid!;
  live.add(child);
  const lifeline = attachLifeline(child);
  if (opts.runDir) {
    writeChildRecord(opts.runDir, opts.name, { pid, executable: opts.executable, owner: process.pid, startedAt: new Date().toISOString() });
  }
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      lifeline.release();
      if (opts.runDir) removeChildRecord(opts.runDir, opts.name, pid);
      resolve({ code, signal });
    });
  });

  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  let stopping: Promise<ChildExit> | undefined;
  const stop = (): Promise<ChildExit> => {
    stopping ??= (async () => {
      if (!running()) return exited;
      const timers = (
        opts.stopSignals ?? [
          ['SIGTERM', 0],
          ['SIGKILL', 5_000],
        ]
      ).map(([signal, after]) =>
        setTimeout(() => {
          if (running()) child.kill(signal);
        }, after),
      );
      try {
        return await exited;
      } finally {
        for (const t of timers) clearTimeout(t);
      }
    })();
    return stopping;
  };

  return { child, pid, watcherPid: lifeline.watcherPid, exited, running, stop };
}
