import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { pino } from 'pino';
import type { WebhookEvent } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { cleanText, DEFAULT_ROOM_OPTIONS, DisplayName, RoomTitle } from '@contracts/api';
import { AuthService } from '@server/auth/auth-service';
import { LoginThrottle } from '@server/auth/throttle';
import { createContext, DEFAULT_LIMITS } from '@server/context';
import { backupDatabase, migrate, openSqlite, schemaVersion } from '@server/db/database';
import { MIGRATIONS } from '@server/db/migrations';
import { DEFAULT_RECORDING_SETTINGS } from '@server/recording/recording-service';
import { LocalStorage } from '@server/recording/storage';
import { LivekitService } from '@server/livekit/livekit-service';
import { handleWebhook } from '@server/webhook/webhook-handler';

const mode = (file: string) => statSync(file).mode & 0o777;
const tempDir = () => mkdtempSync(join(tmpdir(), 'parley-sec-'));

describe('names and titles', () => {
  it('strip bidi overrides, isolates, zero-width and control characters everywhere a name is shown', () => {
    // "Eve\u202Enimda" renders as "Eveadmin"; a title can be reordered the same way.
    expect(DisplayName.parse('Eve\u202Enimda')).toBe('Evenimda');
    expect(DisplayName.parse('\u2066Ad\u200Bmin\u2069 (host)\u0007')).toBe('Admin (host)');
    expect(RoomTitle.parse('Board\u202Dmeeting\u2028\u061C')).toBe('Boardmeeting');
    expect(cleanText('  a\tb\n\nc  ')).toBe('a b c');
    expect(DisplayName.safeParse('\u202E\u200F').success).toBe(false);
  });
});

describe('sign-in throttle', () => {
  it('slows one (username, address) with a growing wait and never locks the owner out from elsewhere', async () => {
    const t = new LoginThrottle({ freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000 });
    const stranger = LoginThrottle.key('ada', '203.0.113.9');
    const owner = LoginThrottle.key('ada', '198.51.100.4');
    for (let i = 0; i < 4; i++) await t.fail(stranger, 0);
    expect(await t.retryAfter(stranger, 0)).toBe(0);
    await t.fail(stranger, 0);
    expect(await t.retryAfter(stranger, 0)).toBe(30);
    expect(await t.retryAfter(owner, 0)).toBe(0);
    await t.fail(stranger, 31_000);
    expect(await t.retryAfter(stranger, 31_000)).toBe(60);
    await t.fail(stranger, 92_000);
    expect(await t.retryAfter(stranger, 92_000)).toBe(120);
    for (let i = 0; i < 20; i++) await t.fail(stranger, 100_000);
    expect(await t.retryAfter(stranger, 100_000)).toBe(15 * 60);
    await t.succeed(stranger);
    expect(await t.retryAfter(stranger, 100_000)).toBe(0);
  });
});

describe('sessions', () => {
  it('slide forward while used, up to a fixed maximum from sign-in', async () => {
    const db = openSqlite(join(tempDir(), 'parley.db'));
    const hour = 3_600_000;
    const auth = new AuthService(db, { idleMs: 24 * hour, maxMs: 72 * hour });
    await auth.users.insert({ id: 'u1', username: 'ada', displayName: 'Ada', passwordHash: 'x', role: 'admin', now: 0 });
    const s = await auth.createSession((await auth.users.byId('u1'))!, 0, { client: 'test', address: '127.0.0.1' });
    expect(Date.parse(s.expiresAt)).toBe(24 * hour);
    // Used every 20 hours: alive at 60 h, long past the first 24 h.
    for (const at of [20, 40, 60]) expect((await auth.authenticate(s.token, at * hour))?.user.id).toBe('u1');
    expect((await auth.sessions.listOf('u1', 60 * hour))[0]?.expiresAt).toBe(72 * hour);
    // Never past the maximum, however busy.
    expect(await auth.authenticate(s.token, 72 * hour + 1)).toBeUndefined();
    // Unused for a day: gone.
    const t = await auth.createSession((await auth.users.byId('u1'))!, 0);
    expect(await auth.authenticate(t.token, 25 * hour)).toBeUndefined();
    await db.close();
  });
});

describe('data files', () => {
  it('creates the database 0600 in a 0700 folder, and tightens one left 0644 in an existing folder', async () => {
    const dir = join(tempDir(), 'fresh');
    const db = openSqlite(join(dir, 'parley.db'));
    await db.q.insertInto('settings').values({ key: 'probe', value: '1' }).execute();
    expect(mode(dir)).toBe(0o700);
    for (const f of ['parley.db', 'parley.db-wal', 'parley.db-shm']) expect(mode(join(dir, f)), f).toBe(0o600);
    await db.close();

    const existing = tempDir();
    chmodSync(existing, 0o755);
    writeFileSync(join(existing, 'parley.db'), '');
    chmodSync(join(existing, 'parley.db'), 0o644);
    await openSqlite(join(existing, 'parley.db')).close();
    expect(mode(join(existing, 'parley.db'))).toBe(0o600);
  });

  it('backs up into a new 0600 file from a read-only source it never migrates', () => {
    const dir = tempDir();
    const source = join(dir, 'parley.db');
    // A database as an older server left it: schema version 1.
    const old = new Database(source);
    old.exec('PRAGMA journal_mode = WAL');
    migrate(old, MIGRATIONS.slice(0, 1));
    old.exec("INSERT INTO settings (key, value) VALUES ('marker', 'kept')");
    old.close();
    const target = join(dir, 'backup.db');
    backupDatabase(source, target);
    expect(mode(target)).toBe(0o600);
    const copy = new Database(target);
    expect(copy.prepare("SELECT value FROM settings WHERE key = 'marker'").get()).toMatchObject({ value: 'kept' });
    copy.close();
    const after = new Database(source);
    expect(schemaVersion(after)).toBe(1);
    after.close();
    expect(() => backupDatabase(source, target)).toThrow(/EEXIST/);
    expect(() => backupDatabase(join(dir, 'missing.db'), join(dir, 'x.db'))).toThrow(/no database/);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});

describe('webhooks', () => {
  it('write the dedupe row and the meeting in one transaction, so a failed write is retried, not lost', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const db = openSqlite(join(dir, 'parley.db'));
    const ctx = await createContext({
      settings: {
        serverName: 'T',
        version: '0',
        publicUrl: 'http://127.0.0.1',
        sessionIdleMs: 3_600_000,
        sessionMaxMs: 3_600_000,
        metricsToken: undefined,
        rateLimitPerMinute: 100,
        trustProxy: false,
        webClientDir: undefined,
        limits: DEFAULT_LIMITS,
      },
      log: pino({ level: 'silent' }),
      db,
      livekit: new LivekitService({ apiKey: 'APIx', apiSecret: 'x'.repeat(40) }),
      recording: { ...DEFAULT_RECORDING_SETTINGS, dir: join(dir, 'recordings'), storage: new LocalStorage(join(dir, 'recordings')) },
    });
    const event = {
      id: 'EV_1',
      event: 'participant_joined',
      createdAt: BigInt(1_700_000_000),
      room: { name: 'standup', sid: 'RM_1' },
      participant: { sid: 'PA_1', identity: 'u:1:d', name: 'Ada', attributes: { role: 'member', displayName: 'Ada' }, joinedAt: BigInt(0) },
    } as unknown as WebhookEvent;
    const joined = ctx.meetings.joined.bind(ctx.meetings);
    ctx.meetings.joined = () => Promise.reject(new Error('disk full'));
    await expect(handleWebhook(ctx, event)).rejects.toThrow('disk full');
    ctx.meetings.joined = joined;
    // LiveKit retries the same delivery: it must not be taken for a duplicate.
    await handleWebhook(ctx, event);
    expect((await ctx.meetings.list({ limit: 5 }))[0]?.attendance.map((a) => a.identity)).toEqual(['u:1:d']);
    // And a real duplicate still is one.
    await handleWebhook(ctx, event);
    expect((await ctx.meetings.list({ limit: 5 }))[0]?.attendance).toHaveLength(1);
    ctx.lobby.close();
    await db.close();
  });
});

describe('room defaults', () => {
  it('keep guests out, and in the lobby once a host lets them in', () => {
    expect(DEFAULT_ROOM_OPTIONS).toMatchObject({ allowGuests: false, lobby: true, guestsCanShare: false });
  });
});
