import { RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiError } from '@contracts/api-client';
import { NodeParticipant } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, anonymous, eventually, PASSWORD, setupAdmin, signIn, type SignedIn } from '../../support/team-api';

/**
 * The security controls against the real team server and SFU, each as an attacker would probe it.
 * The server trusts one proxy on loopback, so each request's X-Forwarded-For names the client
 * address a reverse proxy would have appended.
 */
describe('security controls', () => {
  let stack: TestStack;
  let admin: SignedIn;
  let host: SignedIn;
  const people: NodeParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({
      trustProxy: ['127.0.0.1'],
      authRateLimitPerMinute: 12,
      limits: { roomCreatesPer10Min: 8, roomsPerUser: 12, streamsPerSession: 3, streamsPerUser: 5 },
    });
    admin = await setupAdmin(stack);
    host = await addUser(stack, admin, 'hosta');
  });
  afterAll(async () => {
    await Promise.allSettled(people.map((p) => p.disconnect()));
    await stack?.teardown();
  });

  const post = (path: string, body: unknown, forwardedFor: string, token?: string) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': forwardedFor,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  it('limits sign-ins per client address even when the client rotates X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      // The spoofed hop comes first; the proxy appends the real address last.
      const res = await post('/api/v1/sessions', { username: 'nobody', password: 'wrong password' }, `10.9.${i}.1, 203.0.113.50`);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(8);
    // Another client is not held back by that one.
    const other = await post('/api/v1/sessions', { username: 'admin', password: PASSWORD }, '203.0.113.51');
    expect(other.status).toBe(201);
  });

  it('slows a stranger guessing a password with a growing wait, while the owner still signs in from elsewhere', async () => {
    const guess = (n: number) => post('/api/v1/sessions', { username: 'hosta', password: `guess number ${n}` }, '198.51.100.66');
    const codes: number[] = [];
    for (let n = 0; n < 5; n++) codes.push((await guess(n)).status);
    expect(codes).toEqual([401, 401, 401, 401, 401]);
    const blocked = await guess(5);
    expect(blocked.status).toBe(429);
    const wait = Number(/retry in (\d+) s/.exec(((await blocked.json()) as { error: { message: string } }).error.message)?.[1]);
    expect(wait).toBeGreaterThanOrEqual(25);
    // Even the right password waits from the stranger's address...
    expect((await post('/api/v1/sessions', { username: 'hosta', password: PASSWORD }, '198.51.100.66')).status).toBe(429);
    // ...but the owner, from their own address, is not locked out.
    const owner = await post('/api/v1/sessions', { username: 'hosta', password: PASSWORD }, '198.51.100.7');
    expect(owner.status).toBe(201);
    // The wait grows: after it is served, one more failure earns a longer one.
    const failures = stack.context.loginFailures;
    const key = 'hosta\n198.51.100.66';
    const now = Date.now() + wait * 1000 + 1000;
    await failures.fail(key, now);
    expect(await failures.retryAfter(key, now)).toBeGreaterThan(wait);
  });

  it('limits guests to camera and microphone unless the host allows sharing, and marks them by name', async () => {
    await host.api.createRoom({ name: 'guests', title: 'Guests', options: { allowGuests: true, lobby: false } });
    const link = await host.api.createGuestLink('guests');
    const g = await anonymous(stack).guestJoin(link.code, '\u2066Admin (host)\u202E');
    if (g.status !== 'admitted') throw new Error('expected admission');
    const guest = new NodeParticipant();
    people.push(guest);
    await guest.connect(g.url, g.token);
    const sfu = new RoomServiceClient(stack.livekit.url.replace(/^ws/, 'http'), stack.livekit.apiKey, stack.livekit.apiSecret);
    const seen = await eventually(
      async () => (await sfu.listParticipants('guests')).find((p) => p.identity === g.identity),
      'guest in SFU',
    );
    // The SFU itself holds the limit: a modified client cannot share a screen.
    expect(seen.permission?.canPublishSources.sort()).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE].sort());
    expect(seen.name).toBe('Admin (host) (guest)');
    expect(seen.attributes).toMatchObject({ role: 'guest', displayName: 'Admin (host) (guest)' });
    await guest.disconnect();

    await host.api.updateRoom('guests', { options: { guestsCanShare: true } });
    const g2 = await anonymous(stack).guestJoin(link.code, 'Sharer');
    if (g2.status !== 'admitted') throw new Error('expected admission');
    const video = (JSON.parse(Buffer.from(g2.token.split('.')[1]!, 'base64url').toString()) as { video: { canPublishSources?: string[] } })
      .video;
    expect(video.canPublishSources).toEqual(expect.arrayContaining(['camera', 'microphone', 'screen_share']));
  });

  it('guest links expire sooner, run out, can be revoked one by one, and are listed to hosts only', async () => {
    await host.api.createRoom({ name: 'links', title: 'Links', options: { allowGuests: true } });
    expect((await host.api.getRoom('links')).options.lobby).toBe(true);
    const short = await host.api.createGuestLink('links', { maxUses: 2, label: 'Vendor' });
    expect(Date.parse(short.expiresAt) - Date.now()).toBeLessThanOrEqual(8 * 3_600_000 + 5_000);
    await expect(host.api.createGuestLink('links', { expiresInMinutes: 30 * 24 * 60 })).rejects.toMatchObject({ status: 400 });
    const other = await host.api.createGuestLink('links', { label: 'Auditor' });
    for (const name of ['One', 'Two']) expect((await anonymous(stack).guestJoin(short.code, name)).status).toBe('waiting');
    await expect(anonymous(stack).guestJoin(short.code, 'Three')).rejects.toMatchObject({ status: 403, code: 'GUEST_LINK_INVALID' });

    const listed = await host.api.listGuestLinks('links');
    expect(listed.links.map((l) => l.label)).toEqual(['Auditor']);
    expect(JSON.stringify(listed)).not.toContain(other.code.split('.')[1]);
    const member = await addUser(stack, admin, 'mallory');
    await expect(member.api.listGuestLinks('links')).rejects.toMatchObject({ status: 403 });
    await expect(member.api.revokeGuestLink('links', other.id)).rejects.toMatchObject({ status: 403 });

    await host.api.revokeGuestLink('links', other.id);
    await expect(anonymous(stack).guestJoin(other.code, 'Late')).rejects.toMatchObject({ code: 'GUEST_LINK_INVALID' });
    expect((await host.api.listGuestLinks('links')).links).toEqual([]);
    await expect(host.api.revokeGuestLink('links', other.id)).rejects.toMatchObject({ status: 404 });
  });

  it('lists and revokes sessions, and a password change signs every other device out', async () => {
    const user = await addUser(stack, admin, 'pat');
    const phone = await signIn(stack, 'pat');
    const { sessions } = await user.api.listSessions();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const phoneId = sessions.find((s) => !s.current)!.id;
    // Someone else's session id is just "not found".
    await expect(host.api.revokeSession(phoneId)).rejects.toMatchObject({ status: 404 });
    await user.api.revokeSession(phoneId);
    await expect(phone.api.me()).rejects.toMatchObject({ status: 401 });

    const laptop = await signIn(stack, 'pat');
    await expect(user.api.changePassword({ currentPassword: 'not it at all', newPassword: 'a new password 42' })).rejects.toMatchObject({
      status: 403,
      code: 'WRONG_PASSWORD',
    });
    await user.api.changePassword({ currentPassword: PASSWORD, newPassword: 'a new password 42' });
    await expect(laptop.api.me()).rejects.toMatchObject({ status: 401 });
    expect((await user.api.me()).username).toBe('pat');
    await expect(signIn(stack, 'pat')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await signIn(stack, 'pat', 'a new password 42')).user.username).toBe('pat');
  });

  it('lets admins list and revoke invites; a revoked invite registers nobody', async () => {
    const invite = await admin.api.createInvite({ role: 'member' });
    const listed = (await admin.api.listInvites()).invites.find((i) => i.id === invite.id);
    expect(listed).toMatchObject({ status: 'open', role: 'member', createdBy: { username: 'admin' } });
    expect(JSON.stringify(await admin.api.listInvites())).not.toContain(invite.code);
    await expect(host.api.listInvites()).rejects.toMatchObject({ status: 403 });
    await admin.api.revokeInvite(invite.id);
    expect((await admin.api.listInvites()).invites.find((i) => i.id === invite.id)?.status).toBe('revoked');
    await expect(
      anonymous(stack).register({ inviteCode: invite.code, username: 'eve', password: PASSWORD, displayName: 'Eve' }),
    ).rejects.toMatchObject({ code: 'INVITE_INVALID' });
  });

  it('caps event streams per token and per user, and room creation per user', async () => {
    const streams: Response[] = [];
    const open = (token: string) => fetch(`${stack.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    const u = await addUser(stack, admin, 'sam');
    for (let i = 0; i < 3; i++) streams.push(await open(u.token));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const fourth = await open(u.token);
    expect(fourth.status).toBe(429);
    await fourth.arrayBuffer();
    const second = await signIn(stack, 'sam');
    streams.push(await open(second.token), await open(second.token));
    const overUser = await open(second.token);
    expect(overUser.status).toBe(429);
    await overUser.arrayBuffer();
    for (const s of streams) await s.body?.cancel();

    const made: number[] = [];
    for (let i = 0; i < 10; i++) {
      made.push(
        await u.api.createRoom({ name: `cap-${i}`, title: `Cap ${i}` }).then(
          () => 201,
          (e: ApiError) => e.status,
        ),
      );
    }
    expect(made.slice(0, 8)).toEqual(Array(8).fill(201));
    expect(made.slice(8)).toEqual([429, 429]);
  });

  it('pages the room listing and fills it without one SFU call per open room', async () => {
    const lister = await addUser(stack, admin, 'lister');
    // Two rooms with someone in them.
    for (const name of ['cap-0', 'cap-1']) {
      const j = await lister.api.joinRoom(name);
      const p = new NodeParticipant();
      people.push(p);
      await p.connect(j.url, j.token);
    }
    await eventually(async () => {
      const rooms = (await lister.api.listAllRooms()).rooms;
      return rooms.filter((r) => r.participants.length === 1).length === 2 ? true : undefined;
    }, 'both rooms listed with their participant');

    const lk = stack.context.livekit;
    let sfuCalls = 0;
    const count =
      <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
      (...a: A) => {
        sfuCalls++;
        return fn(...a);
      };
    const saved = { participants: lk.participants, participantsByRoom: lk.participantsByRoom };
    lk.participants = count(lk.participants.bind(lk));
    lk.participantsByRoom = count(lk.participantsByRoom.bind(lk));
    try {
      const first = await lister.api.listRooms({ limit: 3 });
      expect(first.rooms).toHaveLength(3);
      expect(first.next).toBe(first.rooms[2]!.name);
      const names = first.rooms.map((r) => r.name);
      let after = first.next;
      while (after) {
        const page = await lister.api.listRooms({ limit: 3, after });
        names.push(...page.rooms.map((r) => r.name));
        after = page.next;
      }
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
      expect(names.length).toBeGreaterThanOrEqual(10);
      expect(sfuCalls).toBe(0);
    } finally {
      Object.assign(lk, saved);
    }
  });

  it('serves /metrics to this machine only (no proxied caller) without a token', async () => {
    const direct = await fetch(`${stack.url}/metrics`);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('parley_http_requests_total');
    const proxied = await fetch(`${stack.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(((await proxied.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('keeps the data files private to the server', () => {
    expect(statSync(stack.dataDir).mode & 0o777).toBe(0o700);
    for (const f of ['parley.db', 'parley.db-wal', 'parley.db-shm']) expect(statSync(join(stack.dataDir, f)).mode & 0o777, f).toBe(0o600);
  });
});
