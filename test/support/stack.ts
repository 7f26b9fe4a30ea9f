import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startTeamServer, type RunningTeamServer, type TeamServerOptions } from '@server/index';

export interface TestStack extends RunningTeamServer {
  dataDir: string;
  /** Stops the server and SFU and removes the data directory. */
  teardown(): Promise<void>;
}

/**
 * A real team server with its embedded livekit-server on free loopback ports, in a fresh data dir.
 * Pass `dataDir` to restart on the same data (teardown then keeps it unless `removeData` is set).
 */
export async function startStack(overrides: Partial<TeamServerOptions> = {}): Promise<TestStack> {
  const ownDir = !overrides.dataDir;
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
  const server = await startTeamServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    livekitBinary: inject('livekitBinary'),
    logLevel: 'warn',
    ...overrides,
  });
  return {
    ...server,
    dataDir,
    async teardown() {
      await server.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
