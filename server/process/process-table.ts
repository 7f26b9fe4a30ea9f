// What the operating system says about a process id: alive or not, and which program it runs. Used
// to stop a child left behind by an earlier run without ever signalling an unrelated process that
// happens to have inherited its pid.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Alive and not a zombie (a killed orphan stays in the table until its new parent reaps it). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    // Field 3 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * The command a process runs, as the OS reports it: its argv joined by spaces on Linux and macOS,
 * its image name on Windows. Undefined when the process is gone or cannot be inspected.
 */
export function commandOf(pid: number): string | undefined {
  try {
    if (process.platform === 'linux') {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return argv.length ? argv.join(' ') : undefined;
    }
    if (process.platform === 'win32') {
      const row = execFileSync('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], {
        encoding: 'utf8',
        timeout: 10_000,
        windowsHide: true,
      });
      const image = /^"([^"]+)","(\d+)"/m.exec(row);
      return image && Number(image[2]) === pid ? image[1] : undefined;
    }
    const line = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 10_000 }).trim();
    return line || undefined;
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and runs `executable` (the path it was started with). */
export function runsExecutable(pid: number, executable: string): boolean {
  if (!isAlive(pid)) return false;
  const command = commandOf(pid);
  if (!command) return false;
  if (process.platform === 'win32') return command.toLowerCase() === basename(executable).toLowerCase();
  return command === executable || command.startsWith(`${executable} `);
}

/** Resolves true once `pid` is gone, false if it is still there after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise<void>((r) => setTimeout(r, 25));
  }
  return true;
}

/** Asks `pid` to stop, then forces it after `graceMs`; resolves true once it is gone. */
export async function terminate(pid: number, graceMs: number): Promise<boolean> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  if (await waitForExit(pid, graceMs)) return true;
  signal('SIGKILL');
  return waitForExit(pid, 5_000);
}
