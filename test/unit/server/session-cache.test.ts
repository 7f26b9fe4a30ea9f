import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '@contracts/api-client';
import { PrincipalCache } from '@server/auth/principal-cache';
import { startTeamServer, type RunningTeamServer } from '@server/index';
import { addUser, setupAdmin, signIn, type SignedIn } from '../../support/team-api';

const principal = (expiresAt: number) => ({ session: { expiresAt } });

describe('PrincipalCache', () => {
  it('forgets entries after their lifetime and when the session expires, whichever is first', () => {
    const c = new PrincipalCache<ReturnType<typeof principal>>(1000, 10);
    c.set('a', principal(10_000), 0);
    c.set('b', principal(500), 0);
    expect(c.get('a', 999)).toBeDefined();
    expect(c.get('a', 1000)).toBeUndefined();
    expect(c.get('b', 499)).toBeDefined();
    expect(c.get('b', 500)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('stays within its size limit, dropping the oldest entry', () => {
    const c = new PrincipalCache<ReturnType<typeof principal>>(1000, 3);
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, principal(10_000), 0);
    expect(c.size).toBe(3);
    expect(c.get('a', 1)).toBeUndefined();
    expect(c.get('d', 1)).toBeDefined();
  });
});

/**
 * The session cache must never let a request through that the database would refuse: each change is
 * made right after the same token was used (so its principal is cached) and takes effect on the very
 * next request.
 */
describe('cached sessions follow changes at once', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cache-'));
  let server: RunningTeamServer;
  let admin: SignedIn;

  // A client that keeps sending the token even after a sign-out (the real client forgets it).
  const withToken = (token: string) => createApiClient({ baseUrl: server.url, token });

  beforeAll(async () => {
    server = await startTeamServer({
      dataDir,
      port: 0,
      logLevel: 'silent',
      livekit: { url: 'ws://127.0.0.1:9', apiKey: 'APIunit', apiSecret: 'u'.repeat(40) },
    });
    admin = await setupAdmin(server);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sign-out ends that session only', async () => {
    const first = await addUser(server, admin, 'outie');
    const second = await signIn(server, 'outie');
    const stale = withToken(second.token);
    expect((await stale.me()).username).toBe('outie');
    await second.api.logout();
    await expect(stale.me()).rejects.toMatchObject({ status: 401 });
    expect((await first.api.me()).username).toBe('outie');
  });

  it('disabling a user ends their sessions; enabling does not revive them', async () => {
    const user = await addUser(server, admin, 'dizzy');
    const stale = withToken(user.token);
    expect((await stale.me()).disabled).toBe(false);
    await admin.api.updateUser(user.user.id, { disabled: true });
    await expect(stale.me()).rejects.toMatchObject({ status: 401 });
    await admin.api.updateUser(user.user.id, { disabled: false });
    await expect(stale.me()).rejects.toMatchObject({ status: 401 });
    expect((await signIn(server, 'dizzy')).user.disabled).toBe(false);
  });

  it('a role change applies to the next request of a signed-in session', async () => {
    const user = await addUser(server, admin, 'climber');
    await expect(user.api.listUsers()).rejects.toMatchObject({ status: 403 });
    await admin.api.updateUser(user.user.id, { role: 'admin' });
    expect((await user.api.me()).role).toBe('admin');
    expect((await user.api.listUsers()).users.length).toBeGreaterThan(1);
    await admin.api.updateUser(user.user.id, { role: 'member' });
    await expect(user.api.listUsers()).rejects.toMatchObject({ status: 403 });
  });

  it('a refused change (the last admin) leaves the cached admin an admin', async () => {
    await expect(admin.api.updateUser(admin.user.id, { role: 'member' })).rejects.toMatchObject({ status: 409, code: 'LAST_ADMIN' });
    expect((await admin.api.listUsers()).users.length).toBeGreaterThan(1);
  });
});
