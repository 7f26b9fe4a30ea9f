import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@contracts/api';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, anonymous, setupAdmin, type SignedIn } from '../../support/team-api';

/**
 * Twenty thousand generated requests over every route of the OpenAPI document, against the running
 * server (real HTTP, real SFU): bodies shaped from the documented fields and not, params, query
 * strings, headers, methods, content types and encodings, sizes past the limits. No 5xx, every
 * error a JSON {error:{code,message}}, and the server still works afterwards. The requests run a
 * few at a time so the whole run takes about a minute on two cores.
 */
const RUNS = 20_000;
/** Generated; the few that fetch itself refuses to send (a NUL in a header) never reach the server. */
const GENERATED = 20_500;
const CONCURRENCY = 12;

interface DocOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}
type Doc = { paths: Record<string, Record<string, DocOperation>> };

/** Every property name anywhere in a JSON schema (the request bodies' fields). */
function propertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return into;
  const s = schema as Record<string, unknown>;
  if (s.properties && typeof s.properties === 'object') for (const k of Object.keys(s.properties)) into.add(k);
  for (const v of Object.values(s)) propertyNames(v, into);
  return into;
}

describe('API fuzz', () => {
  let stack: TestStack;
  let admin: SignedIn;
  let member: SignedIn;
  let doc: Doc;

  beforeAll(async () => {
    stack = await startStack({
      logLevel: 'error',
      rateLimitPerMinute: 1_000_000,
      authRateLimitPerMinute: 1_000_000,
      limits: { roomsPerUser: 100_000, roomCreatesPer10Min: 100_000, streamsPerSession: 1000, streamsPerUser: 1000 },
    });
    admin = await setupAdmin(stack);
    member = await addUser(stack, admin, 'fuzzy');
    await member.api.createRoom({ name: 'main', title: 'Main', options: { allowGuests: true, lobby: true } });
    doc = (await (await fetch(`${stack.url}/api/v1/openapi.json`)).json()) as Doc;
  });
  afterAll(async () => {
    await stack?.teardown();
  });

  it(`answers ${RUNS} generated requests over every documented route without a 5xx, and keeps working`, async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
    // Routes the document leaves out, and ones it does not have.
    operations.push(
      { method: 'POST', path: '/livekit/webhook', query: [] },
      { method: 'GET', path: '/metrics', query: [] },
      { method: 'GET', path: '/api/v1/{any}', query: [] },
      { method: 'PUT', path: '/api/v1/rooms', query: [] },
    );
    const fields = [
      ...new Set([
        ...Object.values(doc.paths).flatMap((ops) =>
          Object.values(ops).flatMap((op) => [...propertyNames(op.requestBody)].concat((op.parameters ?? []).map((p) => p.name))),
        ),
        '__proto__',
        'constructor',
      ]),
    ];
    const guestLink = await member.api.createGuestLink('main');
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
        '\u202Eevil',
        member.user.id,
        guestLink.id,
        guestLink.code,
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
    const shapedBody = fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 }).map((o) => JSON.stringify(o));
    const body = fc.oneof(
      { weight: 6, arbitrary: shapedBody },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('', '{', '[]', 'null', '"x"', '1e999', '{"a":'.repeat(50)) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify({ x: 'y'.repeat(70 * 1024) })) },
    );
    const queryString = (names: string[]) =>
      fc.oneof(
        fc.constant(''),
        fc
          .array(fc.tuple(fc.constantFrom(...names, ...fields.slice(0, 5), 'x'), fc.oneof(text, fc.integer().map(String))), {
            maxLength: 4,
          })
          .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '')),
        fc.string({ maxLength: 40 }).map((q) => `?${encodeURIComponent(q)}`),
        fc.constantFrom(
          '?wait=0',
          '?limit=0',
          '?limit=9999',
          '?room=main&before=yesterday',
          '?wait=-1&wait=2',
          '?after=main&limit=1',
          '?%zz',
        ),
      );
    const request = fc.constantFrom(...operations).chain((op) =>
      fc.record({
        op: fc.constant(op),
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constant(op.method) },
          fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'),
        ),
        params: fc.array(text, { minLength: 3, maxLength: 3 }),
        query: queryString(op.query),
        body,
        contentType: fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/json; charset=latin1',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/webhook+json',
          undefined,
        ),
        encoding: fc.constantFrom(undefined, undefined, undefined, 'gzip', 'br', 'identity', 'bogus'),
        accept: fc.constantFrom(undefined, 'application/json', 'text/html', 'text/event-stream', '*/*', 'image/png'),
        auth: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom('member', 'admin') },
          { weight: 2, arbitrary: fc.constantFrom('none', 'garbage', 'malformed', 'long') },
        ),
      }),
    );

    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const samples = fc.sample(request, { numRuns: GENERATED, seed });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;

    const send = async (r: (typeof samples)[number]): Promise<void> => {
      let i = 0;
      const path = r.op.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(r.params[i++] ?? ''));
      // The fuzzer must not sign its own callers out: that would turn the rest into 401s.
      const spends = (r.op.path === '/api/v1/sessions/current' || r.op.path.startsWith('/api/v1/me/')) && r.method !== 'GET';
      const auth = spends ? 'garbage' : r.auth;
      const headers: Record<string, string> = {};
      if (auth === 'member') headers.authorization = `Bearer ${member.token}`;
      if (auth === 'admin') headers.authorization = `Bearer ${admin.token}`;
      if (auth === 'garbage') headers.authorization = 'Bearer pst_not-a-real-token';
      if (auth === 'malformed') headers.authorization = 'Basic Zm9vOmJhcg==';
      if (auth === 'long') headers.authorization = `Bearer pst_${'x'.repeat(4000)}`;
      if (r.accept) headers.accept = r.accept;
      const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
      if (hasBody && r.contentType) headers['content-type'] = r.contentType;
      if (hasBody && r.encoding) headers['content-encoding'] = r.encoding;
      const what = `${r.method} ${path}${r.query} ${JSON.stringify(headers).slice(0, 200)} body=${String(r.body).slice(0, 120)}`;
      let res: Response;
      try {
        res = await fetch(`${stack.url}${path}${r.query}`, {
          method: r.method,
          headers,
          ...(hasBody ? { body: r.body } : {}),
          signal: AbortSignal.timeout(20_000),
        });
      } catch (err) {
        // fetch itself refuses some inputs (a NUL in a header value): nothing reached the server.
        if (err instanceof TypeError && !/fetch failed/.test(err.message)) return;
        failures.push(`${what}: ${(err as Error).message}`);
        return;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${res.status} for ${what}`);
      const api = path.startsWith('/api/') || path.startsWith('/livekit/') || path === '/metrics';
      if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        await res.body?.cancel();
      } else if (res.status >= 400 && api && r.method !== 'HEAD') {
        const raw = await res.text();
        let parsed: boolean;
        try {
          parsed = ErrorBody.safeParse(JSON.parse(raw)).success;
        } catch {
          parsed = false;
        }
        if (!parsed) failures.push(`${res.status} without {error:{code,message}} for ${what}: ${raw.slice(0, 120)}`);
      } else {
        await res.arrayBuffer();
      }
    };

    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < samples.length) await send(samples[next++]!);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.info(
      `fuzz: ${total} requests in ${seconds.toFixed(1)} s (seed ${seed}); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );

    expect(failures.slice(0, 10), `seed ${seed}`).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(RUNS);
    // The generator must reach past validation, not only bounce off it.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    const touched = new Set(samples.map((s) => `${s.op.method} ${s.op.path}`));
    expect(operations.filter((o) => !touched.has(`${o.method} ${o.path}`))).toEqual([]);

    expect(await anonymous(stack).healthz()).toEqual({ ok: true });
    // (The fuzzer may have deleted, locked or disabled anything; a new member and room must work end to end.)
    const fresh = await addUser(stack, admin, 'after-fuzz');
    await fresh.api.createRoom({ name: 'after-fuzz', title: 'After' });
    const after = await fresh.api.joinRoom('after-fuzz');
    expect(after.token.split('.')).toHaveLength(3);
    expect((await admin.api.listUsers()).users.some((u) => u.username === 'admin' && u.role === 'admin' && !u.disabled)).toBe(true);
  }, 240_000);
});
