import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, ROUTES } from '@contracts/api';
import { sha256 } from '@server/lib/crypto';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, anonymous, PASSWORD, setupAdmin, signIn, type SignedIn } from '../../support/team-api';

/**
 * Every route x every kind of caller, asserting the status. Callers: anonymous, guest (holding a
 * guest's LiveKit token), member, host (owner of the room, not admin), admin, disabled user,
 * expired session, revoked session.
 */
const PRINCIPALS = ['anonymous', 'guest', 'member', 'host', 'admin', 'disabled', 'expired', 'revoked'] as const;
type Who = (typeof PRINCIPALS)[number];

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
}
interface Row {
  name: string;
  /** Builds the request, creating any per-call state it needs (fresh rooms, invites, lobby entries). */
  call: (n: number) => Promise<Call> | Call;
  expect: Record<Who, number>;
}

const all = (s: number): Record<Who, number> => Object.fromEntries(PRINCIPALS.map((p) => [p, s])) as Record<Who, number>;
/** Signed-in routes: the five who are not signed in get 401. */
const signedIn = (member: number, host: number, admin: number): Record<Who, number> => ({
  ...all(401),
  member,
  host,
  admin,
});

describe('authorization matrix', () => {
  let stack: TestStack;
  let admin: SignedIn;
  let hostUser: SignedIn;
  let guestToken: string;
  let disabledToken: string;
  let revokedToken: string;
  let throwaway: SignedIn;
  const tokens = {} as Record<Who, string | undefined>;

  beforeAll(async () => {
    stack = await startStack({ authRateLimitPerMinute: 100_000 });
    admin = await setupAdmin(stack);
    hostUser = await addUser(stack, admin, 'holly');
    await addUser(stack, admin, 'max');
    throwaway = await addUser(stack, admin, 'tim');
    const dis = await addUser(stack, admin, 'dora');
    disabledToken = dis.token;
    await admin.api.updateUser(dis.user.id, { disabled: true });
    const rev = await signIn(stack, 'max');
    revokedToken = rev.token;
    await rev.api.logout();
    await hostUser.api.createRoom({ name: 'main', title: 'Main', options: { allowGuests: true } });
    await hostUser.api.createRoom({ name: 'open', title: 'Open door', options: { allowGuests: true, lobby: false } });
    await hostUser.api.createRoom({ name: 'lobby', title: 'Lobby', options: { allowGuests: true, lobby: true } });
    const link = await hostUser.api.createGuestLink('open');
    const g = await anonymous(stack).guestJoin(link.code, 'Guest');
    if (g.status !== 'admitted') throw new Error('expected admission');
    guestToken = g.token;
  });
  afterAll(async () => {
    await stack?.teardown();
  });

  /** Fresh tokens per row: some rows sign out or otherwise spend the caller's session. */
  async function freshTokens(): Promise<void> {
    tokens.anonymous = undefined;
    tokens.guest = guestToken;
    tokens.member = (await signIn(stack, 'max')).token;
    tokens.host = (await signIn(stack, 'holly')).token;
    tokens.admin = (await signIn(stack, 'admin')).token;
    tokens.disabled = disabledToken;
    tokens.revoked = revokedToken;
    const expired = await signIn(stack, 'max');
    await stack.context.db.q
      .updateTable('sessions')
      .set({ expires_at: Date.now() - 1000 })
      .where('token_hash', '=', sha256(expired.token))
      .execute();
    tokens.expired = expired.token;
  }

  let counter = 0;
  const unique = (p: string) => `${p}-${++counter}`;
  const guestLink = async (room: string) => (await hostUser.api.createGuestLink(room)).code;
  const lobbyEntry = async () => {
    const w = await anonymous(stack).guestJoin(await guestLink('lobby'), 'Waiting Wendy');
    if (w.status !== 'waiting') throw new Error('expected to wait');
    const { waiting } = await hostUser.api.listLobby('lobby');
    return waiting.at(-1)!.id;
  };

  const rows: Row[] = [
    { name: 'GET /healthz', call: () => ({ method: 'GET', url: '/healthz' }), expect: all(200) },
    { name: 'GET /readyz', call: () => ({ method: 'GET', url: '/readyz' }), expect: all(200) },
    { name: 'GET /metrics', call: () => ({ method: 'GET', url: '/metrics' }), expect: all(200) },
    { name: 'GET /api/v1/openapi.json', call: () => ({ method: 'GET', url: '/api/v1/openapi.json' }), expect: all(200) },
    { name: 'GET /api/v1/server', call: () => ({ method: 'GET', url: '/api/v1/server' }), expect: all(200) },
    {
      name: 'POST /api/v1/setup',
      call: () => ({
        method: 'POST',
        url: '/api/v1/setup',
        body: { code: 'AAAA-BBBB-CCCC', username: 'eve', password: PASSWORD, displayName: 'Eve' },
      }),
      expect: all(409),
    },
    {
      name: 'POST /api/v1/sessions',
      call: () => ({ method: 'POST', url: '/api/v1/sessions', body: { username: 'tim', password: PASSWORD } }),
      expect: all(201),
    },
    {
      name: 'DELETE /api/v1/sessions/current',
      call: () => ({ method: 'DELETE', url: '/api/v1/sessions/current' }),
      expect: signedIn(204, 204, 204),
    },
    { name: 'GET /api/v1/me', call: () => ({ method: 'GET', url: '/api/v1/me' }), expect: signedIn(200, 200, 200) },
    { name: 'GET /api/v1/me/sessions', call: () => ({ method: 'GET', url: '/api/v1/me/sessions' }), expect: signedIn(200, 200, 200) },
    {
      // Someone else's session: indistinguishable from an unknown one, for everyone (admins too).
      name: 'DELETE /api/v1/me/sessions/:sessionId',
      call: async () => {
        const { sessions } = await throwaway.api.listSessions();
        return { method: 'DELETE', url: `/api/v1/me/sessions/${sessions[0]!.id}` };
      },
      expect: signedIn(404, 404, 404),
    },
    {
      name: 'POST /api/v1/me/password',
      call: () => ({
        method: 'POST',
        url: '/api/v1/me/password',
        body: { currentPassword: 'not the password', newPassword: 'whatever else 123' },
      }),
      expect: signedIn(403, 403, 403),
    },
    { name: 'GET /api/v1/invites', call: () => ({ method: 'GET', url: '/api/v1/invites' }), expect: signedIn(403, 403, 200) },
    {
      name: 'DELETE /api/v1/invites/:inviteId',
      call: async () => ({ method: 'DELETE', url: `/api/v1/invites/${(await admin.api.createInvite()).id}` }),
      expect: signedIn(403, 403, 204),
    },
    { name: 'POST /api/v1/invites', call: () => ({ method: 'POST', url: '/api/v1/invites', body: {} }), expect: signedIn(403, 403, 201) },
    {
      name: 'POST /api/v1/users',
      call: async () => ({
        method: 'POST',
        url: '/api/v1/users',
        body: { inviteCode: (await admin.api.createInvite()).code, username: unique('new'), password: PASSWORD, displayName: 'New' },
      }),
      expect: all(201),
    },
    { name: 'GET /api/v1/users', call: () => ({ method: 'GET', url: '/api/v1/users' }), expect: signedIn(403, 403, 200) },
    {
      name: 'PATCH /api/v1/users/:userId',
      call: () => ({ method: 'PATCH', url: `/api/v1/users/${throwaway.user.id}`, body: { role: 'member' } }),
      expect: signedIn(403, 403, 200),
    },
    { name: 'GET /api/v1/rooms', call: () => ({ method: 'GET', url: '/api/v1/rooms' }), expect: signedIn(200, 200, 200) },
    {
      name: 'POST /api/v1/rooms',
      call: () => ({ method: 'POST', url: '/api/v1/rooms', body: { name: unique('r'), title: 'T' } }),
      expect: signedIn(201, 201, 201),
    },
    { name: 'GET /api/v1/rooms/:room', call: () => ({ method: 'GET', url: '/api/v1/rooms/main' }), expect: signedIn(200, 200, 200) },
    {
      name: 'PATCH /api/v1/rooms/:room',
      call: () => ({ method: 'PATCH', url: '/api/v1/rooms/main', body: { title: 'Main room' } }),
      expect: signedIn(403, 200, 200),
    },
    {
      name: 'DELETE /api/v1/rooms/:room',
      call: async () => {
        const name = unique('gone');
        await hostUser.api.createRoom({ name, title: 'Doomed' });
        return { method: 'DELETE', url: `/api/v1/rooms/${name}` };
      },
      expect: signedIn(403, 204, 204),
    },
    {
      name: 'POST /api/v1/rooms/:room/join',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/join', body: {} }),
      expect: signedIn(200, 200, 200),
    },
    {
      name: 'POST /api/v1/rooms/:room/participants/:identity/mute',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/participants/u:nobody:x/mute', body: { source: 'camera' } }),
      expect: signedIn(403, 404, 404),
    },
    {
      name: 'DELETE /api/v1/rooms/:room/participants/:identity',
      call: () => ({ method: 'DELETE', url: '/api/v1/rooms/main/participants/u:nobody:x' }),
      expect: signedIn(403, 404, 404),
    },
    {
      name: 'POST /api/v1/rooms/:room/lock',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/lock' }),
      expect: signedIn(403, 200, 200),
    },
    {
      name: 'POST /api/v1/rooms/:room/unlock',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/unlock' }),
      expect: signedIn(403, 200, 200),
    },
    {
      name: 'POST /api/v1/rooms/:room/end',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/end' }),
      expect: signedIn(403, 204, 204),
    },
    {
      name: 'POST /api/v1/rooms/:room/guest-links',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/guest-links', body: {} }),
      expect: signedIn(403, 201, 201),
    },
    {
      name: 'GET /api/v1/rooms/:room/guest-links',
      call: () => ({ method: 'GET', url: '/api/v1/rooms/main/guest-links' }),
      expect: signedIn(403, 200, 200),
    },
    {
      name: 'DELETE /api/v1/rooms/:room/guest-links/:linkId',
      call: async () => ({ method: 'DELETE', url: `/api/v1/rooms/main/guest-links/${(await hostUser.api.createGuestLink('main')).id}` }),
      expect: signedIn(403, 204, 204),
    },
    {
      name: 'GET /api/v1/rooms/:room/lobby',
      call: () => ({ method: 'GET', url: '/api/v1/rooms/lobby/lobby' }),
      expect: signedIn(403, 200, 200),
    },
    {
      name: 'POST /api/v1/rooms/:room/lobby/:ticket/admit',
      call: async () => ({ method: 'POST', url: `/api/v1/rooms/lobby/lobby/${await lobbyEntry()}/admit` }),
      expect: signedIn(403, 204, 204),
    },
    {
      name: 'POST /api/v1/rooms/:room/lobby/:ticket/deny',
      call: async () => ({ method: 'POST', url: `/api/v1/rooms/lobby/lobby/${await lobbyEntry()}/deny` }),
      expect: signedIn(403, 204, 204),
    },
    {
      name: 'POST /api/v1/guest/join',
      call: async () => ({ method: 'POST', url: '/api/v1/guest/join', body: { code: await guestLink('open'), displayName: 'G' } }),
      expect: all(200),
    },
    {
      name: 'GET /api/v1/guest/tickets/:ticket',
      call: async () => {
        const w = await anonymous(stack).guestJoin(await guestLink('lobby'), 'Poller');
        if (w.status !== 'waiting') throw new Error('expected to wait');
        return { method: 'GET', url: `/api/v1/guest/tickets/${w.ticket}?wait=0` };
      },
      expect: all(200),
    },
    {
      name: 'GET /api/v1/rooms/:room/recording',
      call: () => ({ method: 'GET', url: '/api/v1/rooms/main/recording' }),
      expect: signedIn(200, 200, 200),
    },
    {
      // Hosts pass the check and are told nobody is in the meeting to record; members never get that far.
      name: 'POST /api/v1/rooms/:room/recording',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/recording', body: {} }),
      expect: signedIn(403, 409, 409),
    },
    {
      name: 'POST /api/v1/rooms/:room/recording/stop',
      call: () => ({ method: 'POST', url: '/api/v1/rooms/main/recording/stop', body: {} }),
      expect: signedIn(403, 409, 409),
    },
    { name: 'GET /api/v1/recordings', call: () => ({ method: 'GET', url: '/api/v1/recordings' }), expect: signedIn(200, 200, 200) },
    {
      name: 'POST /api/v1/recordings/:recordingId/download',
      call: () => ({ method: 'POST', url: '/api/v1/recordings/nosuchrecording/download', body: {} }),
      expect: signedIn(404, 404, 404),
    },
    {
      // A signed link is the only key: a made-up signature is refused for everyone, signed in or not.
      name: 'GET /api/v1/recordings/:recordingId/file',
      call: () => ({
        method: 'GET',
        url: `/api/v1/recordings/nosuchrecording/file?expires=${Math.floor(Date.now() / 1000) + 60}&sig=${'A'.repeat(43)}`,
      }),
      expect: all(403),
    },
    {
      name: 'DELETE /api/v1/recordings/:recordingId',
      call: () => ({ method: 'DELETE', url: '/api/v1/recordings/nosuchrecording' }),
      expect: signedIn(404, 404, 404),
    },
    { name: 'GET /api/v1/meetings', call: () => ({ method: 'GET', url: '/api/v1/meetings' }), expect: signedIn(200, 200, 200) },
    { name: 'GET /api/v1/events', call: () => ({ method: 'GET', url: '/api/v1/events' }), expect: signedIn(200, 200, 200) },
    {
      name: 'POST /livekit/webhook (unsigned)',
      call: () => ({ method: 'POST', url: '/livekit/webhook', body: { event: 'room_started', room: { name: 'x', sid: 'RM_x' } } }),
      expect: all(401),
    },
  ];

  it('covers every route in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${stack.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const covered = new Set(rows.map((r) => r.name.split(' (')[0]));
    expect(documented.filter((r) => !covered.has(r))).toEqual([]);
    // The document is the route table, entry for entry.
    expect(documented.sort()).toEqual(
      Object.values(ROUTES)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    expect(documented.length).toBeGreaterThan(35);
  });

  for (const row of rows) {
    it(row.name, async () => {
      await freshTokens();
      const got: Partial<Record<Who, number>> = {};
      for (const who of PRINCIPALS) {
        const c = await row.call(PRINCIPALS.indexOf(who));
        const headers: Record<string, string> = {};
        if (tokens[who]) headers.authorization = `Bearer ${tokens[who]}`;
        if (c.body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(`${stack.url}${c.url}`, {
          method: c.method,
          headers,
          ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
        });
        got[who] = res.status;
        if (c.url === '/api/v1/events') await res.body?.cancel();
        else if (res.status >= 400) expect(ErrorBody.safeParse(await res.json()).success, `${row.name} as ${who}: error body`).toBe(true);
        else await res.arrayBuffer();
      }
      expect(got).toEqual(row.expect);
    });
  }
});
