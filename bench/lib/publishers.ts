// Parent side of publishers-child.ts: a process of synthetic 720p simulcast participants.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './cli';
import type { JoinGrant } from './stack';

export interface PublisherProcess {
  pid: number;
  count: number;
  /** Connects and publishes one participant per grant; resolves when all publish. */
  add(grants: JoinGrant[]): Promise<number>;
  close(): Promise<void>;
}

export interface PublisherFormat {
  fps: number;
  width?: number;
  height?: number;
  maxBitrate?: number;
}

export function startPublishers(format: PublisherFormat = { fps: 10 }): PublisherProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'bench/lib/publishers-child.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BENCH_PUBLISH_FPS: String(format.fps),
      ...(format.width
        ? { BENCH_PUBLISH_WIDTH: String(format.width), BENCH_PUBLISH_HEIGHT: String(format.height ?? Math.round((format.width * 9) / 16)) }
        : {}),
      ...(format.maxBitrate ? { BENCH_PUBLISH_BITRATE: String(format.maxBitrate) } : {}),
    },
  });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 30) stderr.shift();
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    if (line.startsWith('{')) waiting.shift()?.(line);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: PublisherProcess = {
    pid: child.pid ?? -1,
    count: 0,
    add(grants) {
      return new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`publishers did not connect in time:\n${stderr.join('')}`)),
          60_000 + grants.length * 10_000,
        );
        waiting.push((line) => {
          clearTimeout(timer);
          const msg = JSON.parse(line) as { ok?: number; error?: string };
          if (msg.error !== undefined) return rej(new Error(`publisher failed: ${msg.error}`));
          proc.count = msg.ok ?? 0;
          res(proc.count);
        });
        child.stdin.write(`${JSON.stringify({ add: grants.map((g) => ({ url: g.url, token: g.token })) })}\n`);
      });
    },
    async close() {
      if (child.exitCode !== null) return;
      child.stdin.write(`${JSON.stringify({ stop: true })}\n`);
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    },
  };
  return proc;
}
