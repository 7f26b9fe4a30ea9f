import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

/** A child process the test harness owns: its recent output for error messages, and a stop that waits. */
export interface OwnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  log(): string[];
  /** Resolves once the process has exited (whatever ended it). */
  readonly exited: Promise<void>;
  /** signal, then SIGKILL after graceMs; resolves on exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const owned = new Set<ChildProcess>();
let hooked = false;

/** A failing test must not leave a Redis, PostgreSQL or SFU running: whatever is still ours dies with the test process. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of owned) c.kill('SIGKILL');
  });
}

export function startOwned(command: string, args: string[], opts: SpawnOptions = {}): OwnedProcess {
  hookExit();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  owned.add(child);
  const lines: string[] = [];
  // A pipe's chunks end anywhere, also mid-line: each stream keeps its unfinished line until the
  // rest arrives, so a JSON log line is never read as two broken halves.
  const lineReader = () => {
    let partial = '';
    return (d: Buffer) => {
      const parts = (partial + d.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        lines.push(line);
        if (lines.length > 1000) lines.shift();
      }
    };
  };
  child.stdout?.on('data', lineReader());
  child.stderr?.on('data', lineReader());
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      owned.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      lines.push(`spawn failed: ${err.message}`);
      owned.delete(child);
      resolve();
    });
  });
  return {
    child,
    pid: child.pid ?? -1,
    log: () => [...lines],
    exited,
    async stop(signal = 'SIGTERM', graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(kill);
      }
    },
  };
}

/** Polls until check() is true, the process died (throws with its log), or the deadline passed. */
export async function until(what: string, proc: OwnedProcess, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`${what}: the process exited (${proc.child.exitCode ?? proc.child.signalCode})\n${proc.log().slice(-30).join('\n')}`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready in ${timeoutMs} ms\n${proc.log().slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
