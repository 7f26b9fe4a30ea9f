import { createServer, type Server } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { launchSfu, SfuStartError } from '@server/sfu/livekit-launcher';
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
});
