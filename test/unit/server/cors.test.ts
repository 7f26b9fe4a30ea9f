// CORS: the desktop app's pages live at parley://app and call the team server from there; an
// operator can add origins of their own. Nobody else gets an Access-Control-* header.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@server/config';
import { startTeamServer, type RunningTeamServer } from '@server/index';
import { setupAdmin, type SignedIn } from '../../support/team-api';

describe('CORS', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cors-'));
  let server: RunningTeamServer;
  let admin: SignedIn;

  beforeAll(async () => {
    server = await startTeamServer({
      dataDir,
      port: 0,
      logLevel: 'silent',
      corsOrigins: ['https://intranet.example.com'],
      livekit: { url: 'ws://127.0.0.1:9', apiKey: 'APIunit', apiSecret: 'u'.repeat(40) },
    });
    admin = await setupAdmin(server);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const preflight = (origin: string, path = '/api/v1/sessions', method = 'POST') =>
    fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
    });

  it('answers the desktop app’s preflight for sign-in', async () => {
    const res = await preflight('parley://app');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('parley://app');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets the desktop app read answers, including the event stream', async () => {
    const info = await fetch(`${server.url}/api/v1/server`, { headers: { origin: 'parley://app' } });
    expect(info.headers.get('access-control-allow-origin')).toBe('parley://app');
    const controller = new AbortController();
    const events = await fetch(`${server.url}/api/v1/events`, {
      headers: { origin: 'parley://app', authorization: `Bearer ${admin.token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(events.status).toBe(200);
    expect(events.headers.get('access-control-allow-origin')).toBe('parley://app');
    controller.abort();
  });

  it('allows an origin the operator listed', async () => {
    const res = await preflight('https://intranet.example.com', '/api/v1/rooms', 'GET');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://intranet.example.com');
  });

  it('gives any other origin nothing to go on', async () => {
    for (const origin of ['https://evil.example', 'parley://evil', 'null', 'http://127.0.0.1:1']) {
      const res = await preflight(origin);
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
      const info = await fetch(`${server.url}/api/v1/server`, { headers: { origin } });
      expect(info.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('reads CORS_ORIGINS as a comma-separated list and names a bad entry', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example:8443/' }).settings.corsOrigins).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS: each must be an origin/);
  });
});
