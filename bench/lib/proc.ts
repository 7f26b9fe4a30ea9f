// CPU and memory of processes, read straight from /proc (Linux only, which is what we measure on).
// CPU is reported in "cores" (1.0 = one core busy for the whole window), so on this 2-core machine
// 2.0 is saturation.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux we run.

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime in clock ticks. */
  ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: it ends at the last ')'.
    const close = raw.lastIndexOf(')');
    const comm = raw.slice(raw.indexOf('(') + 1, close);
    const f = raw.slice(close + 2).split(' ');
    return { pid, ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** `root` and all its descendants, optionally only those whose name matches. */
export function processTree(root: number, nameFilter?: RegExp): number[] {
  const stats = allStats();
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const names = new Map(stats.map((s) => [s.pid, s.comm]));
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    if (!nameFilter || nameFilter.test(names.get(pid) ?? '')) out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function ticksOf(pids: readonly number[]): number {
  let t = 0;
  for (const pid of pids) t += readStat(pid)?.ticks ?? 0;
  return t;
}

/** Whole-machine busy time from /proc/stat, in ticks (all cores summed). */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((s, x) => s + x, 0);
  return { busy: total - idle, total };
}

export interface CpuWindow {
  /** Cores busy, averaged over the window, per named group. */
  cores: Record<string, number>;
  /** The whole machine, in cores (all processes, including other engineers'). */
  machineCores: number;
  seconds: number;
}

/**
 * Measures CPU over a window for named groups of processes. Groups are functions so that process
 * trees (Chromium renderers come and go) are re-resolved at the start and the end.
 */
export function startCpuWindow(groups: Record<string, () => number[]>): () => CpuWindow {
  const t0 = process.hrtime.bigint();
  const m0 = machineTicks();
  const pids0 = Object.fromEntries(Object.entries(groups).map(([k, f]) => [k, f()]));
  const start = Object.fromEntries(Object.entries(pids0).map(([k, pids]) => [k, new Map(pids.map((p) => [p, readStat(p)?.ticks ?? 0]))]));
  return () => {
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const m1 = machineTicks();
    const cores: Record<string, number> = {};
    for (const [k, f] of Object.entries(groups)) {
      const before = start[k]!;
      const pids = new Set([...f(), ...before.keys()]);
      let delta = 0;
      for (const pid of pids) {
        const now = readStat(pid)?.ticks;
        // A process that exited during the window is lost; one that started counts from 0.
        if (now !== undefined) delta += now - (before.get(pid) ?? 0);
      }
      cores[k] = delta / TICKS_PER_SECOND / seconds;
    }
    const totalTicks = m1.total - m0.total;
    const ncpu = totalTicks > 0 ? (m1.total - m0.total) / (seconds * TICKS_PER_SECOND) : 1;
    return { cores, machineCores: totalTicks > 0 ? ((m1.busy - m0.busy) / totalTicks) * ncpu : Number.NaN, seconds };
  };
}

export { ticksOf };
