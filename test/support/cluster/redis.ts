import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freeTcpPort } from '@server/lib/free-port';
import { startOwned, until, type OwnedProcess } from './process';

export interface TestRedis {
  url: string;
  port: number;
  process: OwnedProcess;
  stop(): Promise<void>;
}

/** Debian's redis-server on a free loopback port with a data dir of its own, nothing persisted. */
export async function startRedis(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
    throw new Error('redis-server is not installed: sudo apt-get install -y redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  const port = await freeTcpPort();
  const proc = startOwned('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ]);
  const url = `redis://127.0.0.1:${port}`;
  await until('redis-server', proc, async () => {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } finally {
      r.disconnect();
    }
  });
  return {
    url,
    port,
    process: proc,
    async stop() {
      await proc.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
