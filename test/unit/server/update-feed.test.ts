// The desktop app takes its update feed from its team server: the operator sets UPDATE_FEED_URL
// (https only) and GET /api/v1/server offers it; unset, the answer has none and the app stays put.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@server/config';
import { optionsFromSettings, startTeamServer, type RunningTeamServer } from '@server/index';

const running: Array<{ server: RunningTeamServer; dataDir: string }> = [];
afterAll(async () => {
  for (const { server, dataDir } of running) {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function serverInfo(updateFeedUrl?: string): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-feed-'));
  const server = await startTeamServer({
    dataDir,
    port: 0,
    logLevel: 'silent',
    livekit: { url: 'ws://127.0.0.1:9', apiKey: 'APIunit', apiSecret: 'u'.repeat(40) },
    ...(updateFeedUrl ? { updateFeedUrl } : {}),
  });
  running.push({ server, dataDir });
  return (await (await fetch(`${server.url}/api/v1/server`)).json()) as Record<string, unknown>;
}

describe('the update feed', () => {
  it('is read from UPDATE_FEED_URL, https only', () => {
    const { settings } = loadConfig({ UPDATE_FEED_URL: 'https://downloads.acme.test/parley' });
    expect(optionsFromSettings(settings).updateFeedUrl).toBe('https://downloads.acme.test/parley');
    expect(() => loadConfig({ UPDATE_FEED_URL: 'http://downloads.acme.test/parley' })).toThrow(ConfigError);
    expect(() => loadConfig({ UPDATE_FEED_URL: 'http://downloads.acme.test/parley' })).toThrow(
      /UPDATE_FEED_URL: must be an https:\/\/ URL/,
    );
  });

  it('is offered in GET /api/v1/server when set, and absent otherwise', async () => {
    expect(await serverInfo('https://downloads.acme.test/parley')).toMatchObject({ updateFeed: 'https://downloads.acme.test/parley' });
    expect(await serverInfo()).not.toHaveProperty('updateFeed');
  });
});
