// Ports handed to the SFU come from below every OS's default ephemeral range, so no outgoing
// connection on the machine can take one between the probe and the SFU's bind.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freeTcpPort, freeUdpPort } from '@server/lib/free-port';

describe('free ports for the SFU', () => {
  it('are outside the ephemeral range, and really free', async () => {
    for (let i = 0; i < 20; i++) {
      for (const port of [await freeTcpPort(), await freeUdpPort()]) {
        expect(port).toBeGreaterThanOrEqual(20_000);
        expect(port).toBeLessThan(32_768);
        const srv = createServer();
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen(port, '127.0.0.1', resolve);
        });
        await new Promise<void>((resolve) => srv.close(() => resolve()));
      }
    }
  });
});
