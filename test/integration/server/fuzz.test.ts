import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@contracts/api';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, anonymous, setupAdmin, type SignedIn } from '../../support/team-api';

/**
 * Thousands of generated requests over every route against the running server (real HTTP, real SFU):
 * no 5xx, every /api error is a JSON {error:{code,message}}, and the server still works afterwards.
 */
const ROUTES: [string, string][] = [
  ['GET', '/api/v1/server'],
  ['POST', '/api/v1/setup'],
  ['POST', '/api/v1/sessions'],
  ['DELETE', '/api/v1/sessions/current'],
  ['GET', '/api/v1/me'],
  ['POST', '/api/v1/invites'],
  ['POST', '/api/v1/users'],
  ['GET', '/api/v1/users'],
  ['PATCH', '/api/v1/users/{user}'],
  ['GET', '/api/v1/rooms'],
  ['POST', '/api/v1/rooms'],
  ['GET', '/api/v1/rooms/{room}'],
  ['PATCH', '/api/v1/rooms/{room}'],
  ['DELETE', '/api/v1/rooms/{room}'],
  ['POST', '/api/v1/rooms/{room}/join'],
  ['POST', '/api/v1/rooms/{room}/participants/{any}/mute'],
  ['DELETE', '/api/v1/rooms/{room}/participants/{any}'],
  ['POST', '/api/v1/rooms/{room}/lock'],
  ['POST', '/api/v1/rooms/{room}/unlock'],
  ['POST', '/api/v1/rooms/{room}/end'],
  ['POST', '/api/v1/rooms/{room}/guest-links'],
  ['GET', '/api/v1/rooms/{room}/lobby'],
  ['POST', '/api/v1/rooms/{room}/lobby/{any}/admit'],
  ['POST', '/api/v1/rooms/{room}/lobby/{any}/deny'],
  ['POST', '/api/v1/guest/join'],
  ['GET', '/api/v1/guest/tickets/{any}'],
  ['GET', '/api/v1/meetings'],
  ['GET', '/api/v1/events'],
  ['POST', '/livekit/webhook'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/api/v1/{any}'],
  ['PUT', '/api/v1/rooms'],
];

const FIELDS = [
  'username',
  'password',
  'displayName',
  'code',
  'inviteCode',
  'name',
  'title',
  'options',
  'role',
  'disabled',
  'source',
  'device',
  'expiresInHours',
  'expiresInMinutes',
  'lobby',
  'allowGuests',
  'locked',
  'maxParticipants',
  'e2ee',
  '__proto__',
  'constructor',
];

describe('API fuzz', () => {
  let stack: TestStack;
  let admin: SignedIn;
  let member: SignedIn;

  beforeAll(async () => {
    stack = await startStack({ rateLimitPerMinute: 1_000_000, authRateLimitPerMinute: 1_000_000 });
    admin = await setupAdmin(stack);
    member = await addUser(stack, admin, 'fuzzy');
    await member.api.createRoom({ name: 'main', title: 'Main', options: { allowGuests: true, lobby: true } });
  });
  afterAll(async () => {
    await stack?.teardown();
  });

  it('answers thousands of generated requests without a 5xx and keeps working', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        'main',
        'MAIN',
        ' main ',
        'missing',
        '..',
        '%2e%2e',
        'u:x:y',
        'a'.repeat(300),
        '<script>',
        "' OR 1=1 --",
        '\u0000',
        member.user.id,
        'admin',
        'fuzzy',
      ),
    );
    const value: fc.Arbitrary<unknown> = fc.oneof(
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const shapedBody = fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }).map((o) => JSON.stringify(o));
    const body = fc.oneof(
      { weight: 5, arbitrary: shapedBody },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify({ x: 'y'.repeat(70 * 1024) })) },
    );
    const request = fc.record({
      route: fc.constantFrom(...ROUTES),
      params: fc.array(text, { minLength: 3, maxLength: 3 }),
      query: fc.oneof(
        fc.constant(''),
        fc.string({ maxLength: 40 }).map((q) => `?${encodeURIComponent(q)}`),
        fc.constantFrom('?wait=0', '?limit=0', '?limit=9999', '?room=main&before=yesterday', '?wait=-1&wait=2'),
      ),
      body,
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/webhook+json',
        undefined,
      ),
      auth: fc.constantFrom('none', 'member', 'admin', 'garbage', 'malformed'),
    });

    let count = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, template] = r.route;
        let i = 0;
        const path = template.replace(/\{(\w+)\}/g, () => encodeURIComponent(r.params[i++] ?? ''));
        // The fuzzer must not sign its own callers out: that would turn the rest into 401s.
        const auth = method === 'DELETE' && template === '/api/v1/sessions/current' ? 'garbage' : r.auth;
        const headers: Record<string, string> = {};
        if (auth === 'member') headers.authorization = `Bearer ${member.token}`;
        if (auth === 'admin') headers.authorization = `Bearer ${admin.token}`;
        if (auth === 'garbage') headers.authorization = 'Bearer pst_not-a-real-token';
        if (auth === 'malformed') headers.authorization = 'Basic Zm9vOmJhcg==';
        const hasBody = r.body !== undefined && method !== 'GET';
        if (hasBody && r.contentType) headers['content-type'] = r.contentType;
        const res = await fetch(`${stack.url}${path}${r.query}`, {
          method,
          headers,
          ...(hasBody ? { body: r.body } : {}),
          signal: AbortSignal.timeout(20_000),
        });
        count++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
          await res.body?.cancel();
        } else if (res.status >= 400 && (path.startsWith('/api/') || path.startsWith('/livekit/'))) {
          const parsed = ErrorBody.safeParse(await res.json());
          expect(parsed.success, `${method} ${path}: error body`).toBe(true);
        } else {
          await res.arrayBuffer();
        }
        expect(res.status, `${method} ${path}${r.query} body=${String(r.body).slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 2000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );

    expect(count).toBe(2000);
    // The generator must reach past validation, not only bounce off it.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect(await anonymous(stack).healthz()).toEqual({ ok: true });
    // (The fuzzer may have deleted or locked 'main'; a new room must work end to end.)
    await member.api.createRoom({ name: 'after-fuzz', title: 'After' });
    const after = await member.api.joinRoom('after-fuzz');
    expect(after.token.split('.')).toHaveLength(3);
    expect((await admin.api.listUsers()).users.some((u) => u.username === 'admin' && u.role === 'admin' && !u.disabled)).toBe(true);
  }, 240_000);
});
