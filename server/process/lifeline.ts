// A lifeline a child process cannot outlive, whatever ends the process that started it (a crash,
// SIGKILL, the out-of-memory killer, a force-quit of the desktop app).
//
// - Windows: nothing to add. libuv puts every child spawned without `detached` into a job object
//   created with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE; only this process holds the job's handle, so
//   the kernel ends the child when this process ends, by any means.
// - Linux and macOS: a tiny /bin/sh watcher per child. Its standard input is a pipe from this
//   process that nothing ever writes to. The kernel closes our end when this process dies, the
//   watcher's `read` sees end-of-file, and it stops the child (SIGTERM, then SIGKILL a second
//   later). The watcher runs in its own session so a Ctrl-C aimed at the terminal's foreground
//   group does not cut the line before our own graceful shutdown runs.
import { spawn, type ChildProcess } from 'node:child_process';

// $1 is the child's pid. `read` only returns non-zero at end of file: the lifeline was cut.
const WATCHER = [
  'while read -r _; do :; done',
  'kill -TERM "$1" 2>/dev/null || exit 0',
  'sleep 1',
  'kill -KILL "$1" 2>/dev/null',
  'exit 0',
].join('\n');

export interface Lifeline {
  /** The watcher's pid (POSIX), for tests and diagnostics. */
  readonly watcherPid: number | undefined;
  /** Call once the child has exited or was stopped on purpose: ends the watcher, never the child. */
  release(): void;
}

/** Ties `child` to this process's life. */
export function attachLifeline(child: ChildProcess): Lifeline {
  if (process.platform === 'win32' || child.pid === undefined) return { watcherPid: undefined, release: () => undefined };
  const watcher = spawn('/bin/sh', ['-c', WATCHER, 'parley-lifeline', String(child.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  // Neither the watcher nor its pipe may keep this process alive: the child's own handles do that.
  watcher.unref();
  watcher.stdin?.on('error', () => undefined);
  (watcher.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watcher.on('error', () => undefined);
  let released = false;
  return {
    watcherPid: watcher.pid,
    release() {
      if (released) return;
      released = true;
      watcher.kill('SIGKILL');
    },
  };
}
