import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { launchSfu, SfuStartError } from '@server/sfu/livekit-launcher';
import { startStack } from '@test/support/stack';
import { RoomServiceClient } from 'livekit-server-sdk';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('livekit-server launcher', () => {
  it('starts an SFU that answers its API with the generated keys, and stops it leaving no process', async () => {
    const sfu = await launchSfu({ binary: inject('livekitBinary') });
    try {
      expect(sfu.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(alive(sfu.pid)).toBe(true);
      const rooms = new RoomServiceClient(sfu.httpUrl, sfu.keys.apiKey, sfu.keys.apiSecret);
      const created = await rooms.createRoom({ name: 'launcher-check' });
      expect(created.name).toBe('launcher-check');
      // The well-known dev credentials must not work against it.
      const dev = new RoomServiceClient(sfu.httpUrl, 'devkey', 'secret');
      await expect(dev.listRooms()).rejects.toThrow();
    } finally {
      await sfu.stop();
    }
    expect(alive(sfu.pid)).toBe(false);
    await sfu.stop(); // idempotent
  });

  it('fails with the SFU’s own log when it cannot start', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await launchSfu({ binary: inject('livekitBinary'), httpPort: port, startTimeoutMs: 10_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SfuStartError);
      expect((err as SfuStartError).code).toBe('SFU_START_FAILED');
      expect((err as SfuStartError).log.join('\n')).toMatch(/address already in use|bind/i);
    } finally {
      blocker.close();
    }
  });

  it('keeps the API secret off the SFU’s command line, out of its environment, and off the disk but for the 0600 keys file', async () => {
    const stack = await startStack();
    try {
      const pid = stack.sfu!.pid;
      const { apiSecret } = stack.livekit;
      // What any local user can list (cmdline) and what the SFU's own user can (environ).
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      expect(cmdline).toContain('--config');
      expect(cmdline).not.toContain(apiSecret);
      expect(environ).not.toContain(apiSecret);
      expect(environ).not.toMatch(/(^|\0)LIVEKIT_/);
      // The config file the SFU read is gone once it answered; nothing in run/ holds the secret.
      const runDir = join(stack.dataDir, 'run');
      expect(statSync(runDir).mode & 0o777).toBe(0o700);
      for (const file of readdirSync(runDir)) expect(readFileSync(join(runDir, file), 'utf8')).not.toContain(apiSecret);
      expect(readdirSync(runDir).filter((f) => f.endsWith('.yaml'))).toEqual([]);
      expect(statSync(join(stack.dataDir, 'livekit-keys.json')).mode & 0o777).toBe(0o600);
    } finally {
      await stack.teardown();
    }
  });
});
