import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamServer, type RunningTeamServer } from '@server/index';
import { anonymous, PASSWORD, setupAdmin, type SignedIn } from '../../support/team-api';

/**
 * The HTTP app on a real SQLite file, pointed at a LiveKit that is not there: everything that does
 * not need the SFU, and how the server behaves when the SFU is down.
 */
describe('team server app (no SFU)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-app-'));
  const web = mkdtempSync(join(tmpdir(), 'parley-web-'));
  let server: RunningTeamServer;
  let admin: SignedIn;
  let setupCode: string;

  beforeAll(async () => {
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Parley</title>');
    server = await startTeamServer({
      dataDir,
      port: 0,
      logLevel: 'silent',
      webClientDir: web,
      livekit: { url: 'ws://127.0.0.1:9', apiKey: 'APIunit', apiSecret: 'u'.repeat(40) },
    });
    setupCode = server.setupCode!;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(web, { recursive: true, force: true });
  });

  it('takes the setup code once; a wrong code is refused and setup then answers 409', async () => {
    expect(setupCode).toMatch(/^[A-Z2-9-]{14}$/);
    expect((await anonymous(server).server()).setupDone).toBe(false);
    await expect(
      anonymous(server).setup({ code: 'AAAA-BBBB-CCCC', username: 'admin', password: PASSWORD, displayName: 'A' }),
    ).rejects.toMatchObject({ status: 403, code: 'SETUP_CODE_INVALID' });
    admin = await setupAdmin({ url: server.url, setupCode });
    expect(admin.user.role).toBe('admin');
    await expect(
      anonymous(server).setup({ code: setupCode, username: 'admin2', password: PASSWORD, displayName: 'B' }),
    ).rejects.toMatchObject({ status: 409, code: 'SETUP_DONE' });
    expect((await anonymous(server).server()).setupDone).toBe(true);
  });

  it('says the same on a wrong user or a wrong password, and throttles one username', async () => {
    const wrongUser = await anonymous(server)
      .login({ username: 'nobody', password: PASSWORD })
      .catch((e: unknown) => e);
    const wrongPass = await anonymous(server)
      .login({ username: 'admin', password: 'not the password' })
      .catch((e: unknown) => e);
    expect(wrongUser).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(wrongPass).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', message: (wrongUser as Error).message });
    for (let i = 0; i < 4; i++)
      await anonymous(server)
        .login({ username: 'admin', password: 'wrong again' })
        .catch(() => undefined);
    await expect(anonymous(server).login({ username: 'admin', password: PASSWORD })).rejects.toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
    });
    // Another username from the same address is not affected.
    await expect(anonymous(server).login({ username: 'someone', password: PASSWORD })).rejects.toMatchObject({ status: 401 });
  });

  it('invites are one-time, and the team always keeps an enabled admin', async () => {
    const invite = await admin.api.createInvite({ role: 'member', expiresInHours: 1 });
    const newbie = await anonymous(server).register({
      inviteCode: invite.code,
      username: 'Newbie',
      password: PASSWORD,
      displayName: '  New  Bie ',
    });
    expect(newbie.user).toMatchObject({ username: 'newbie', displayName: 'New Bie', role: 'member' });
    await expect(
      anonymous(server).register({ inviteCode: invite.code, username: 'other', password: PASSWORD, displayName: 'O' }),
    ).rejects.toMatchObject({ status: 403, code: 'INVITE_INVALID' });
    const dup = await admin.api.createInvite();
    await expect(
      anonymous(server).register({ inviteCode: dup.code, username: 'newbie', password: PASSWORD, displayName: 'N' }),
    ).rejects.toMatchObject({ status: 409, code: 'USERNAME_TAKEN' });
    // The failed registration did not spend the invite.
    expect(
      (await anonymous(server).register({ inviteCode: dup.code, username: 'newbie2', password: PASSWORD, displayName: 'N' })).user.username,
    ).toBe('newbie2');
    await expect(admin.api.updateUser(admin.user.id, { role: 'member' })).rejects.toMatchObject({ status: 409, code: 'LAST_ADMIN' });
    await expect(admin.api.updateUser(admin.user.id, { disabled: true })).rejects.toMatchObject({ status: 409, code: 'LAST_ADMIN' });
    expect((await admin.api.me()).role).toBe('admin');
  });

  it('answers bad input with 4xx JSON errors', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${server.url}/api/v1/rooms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': type },
        body,
      });
    const cases: [Response, number, string][] = [
      [await post('{"name":"ok","title":"T","extra":1}'), 400, 'BAD_REQUEST'],
      [await post('{"name":"Not Valid!","title":"T"}'), 400, 'BAD_REQUEST'],
      [await post('{not json'), 400, 'BAD_REQUEST'],
      [await post('name=x', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [await post(JSON.stringify({ name: 'big', title: 'x'.repeat(70_000) })), 413, 'PAYLOAD_TOO_LARGE'],
      [await post('{"__proto__":{"admin":true},"name":"p","title":"T"}'), 400, 'BAD_REQUEST'],
    ];
    for (const [res, status, code] of cases) {
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error: { code } });
    }
    expect((await admin.api.listRooms()).rooms.map((r) => r.name)).not.toContain('big');
  });

  it('creates rooms without the SFU, and says 503 SFU_UNAVAILABLE (not 500) for what needs it', async () => {
    const room = await admin.api.createRoom({ name: 'offline', title: 'Offline', options: { maxParticipants: 5 } });
    expect(room.name).toBe('offline');
    // The listing degrades (no participants) rather than failing; joining cannot.
    expect((await admin.api.listRooms()).rooms.find((r) => r.name === 'offline')?.participants).toEqual([]);
    await expect(admin.api.joinRoom('offline')).rejects.toMatchObject({ status: 503, code: 'SFU_UNAVAILABLE' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, checks: { database: true, sfu: false } });
  });

  it('serves the web client with a strict CSP, and Prometheus metrics', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:9");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const deep = await fetch(`${server.url}/rooms/standup`, { headers: { accept: 'text/html' } });
    expect(await deep.text()).toContain('<title>Parley</title>');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_http_requests_total\{method="POST",route="\/api\/v1\/sessions",status="401"\} \d+/);
    expect(metrics).toContain('parley_logins_total');
  });

  it('mints no token without sign-in (the walking skeleton’s dev route is gone)', async () => {
    const res = await fetch(`${server.url}/api/v1/dev/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"room":"a","name":"b"}',
    });
    expect(res.status).toBe(404);
  });
});
