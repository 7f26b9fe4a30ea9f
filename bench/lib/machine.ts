// What the numbers were measured on. The machines are shared, so the load average at the start and
// the end of a run is part of every result: a figure taken at load 3 on 2 cores is not comparable to
// one taken idle, and the reader needs to see that.
import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the figure started. */
  loadAtStart: [number, number, number];
  loadAtEnd?: [number, number, number];
  commit: string;
  livekitServer?: string;
  chromium?: string;
}

function osName(): string {
  try {
    const m = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'));
    return `${m?.[1] ?? process.platform} (${release()})`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${sha} (+ uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

const load = (): [number, number, number] => loadavg().map((v) => Math.round(v * 100) / 100) as [number, number, number];

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    os: osName(),
    node: process.version,
    loadAtStart: load(),
    commit: gitCommit(),
  };
}

export function finishMachineInfo(m: MachineInfo): MachineInfo {
  return { ...m, loadAtEnd: load() };
}

export function versionOf(binary: string, args: string[] = ['--version']): string {
  try {
    return (
      execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 })
        .trim()
        .split('\n')[0] ?? 'unknown'
    );
  } catch {
    return 'unknown';
  }
}
