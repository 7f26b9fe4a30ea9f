import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSse } from '@contracts/api-client';
import { DisplayName, RoomName, Username } from '@contracts/api';
import { normalizeSetupCode, newSetupCode } from '@server/auth/setup-code';
import { WindowCounter } from '@server/auth/throttle';
import { migrate, openDatabase, schemaVersion } from '@server/db/database';
import { MIGRATIONS } from '@server/db/migrations';
import { GuestLinkSigner } from '@server/lobby/guest-links';
import { Lobby } from '@server/lobby/lobby';

describe('contract names', () => {
  it('normalizes usernames and room names, bounds them, and rejects junk', () => {
    expect(Username.parse('  Alice.B ')).toBe('alice.b');
    expect(Username.safeParse('al').success).toBe(false);
    expect(Username.safeParse('a'.repeat(33)).success).toBe(false);
    expect(Username.safeParse('-alice').success).toBe(false);
    expect(RoomName.parse(' Weekly-Sync ')).toBe('weekly-sync');
    expect(RoomName.safeParse('trailing-').success).toBe(false);
    expect(RoomName.safeParse('a/b').success).toBe(false);
  });
  it('NFC-normalizes display names and refuses control characters', () => {
    expect(DisplayName.parse('  Zoe\u0301 ')).toBe('Zoé');
    expect(DisplayName.safeParse('bad\u0000name').success).toBe(false);
    expect(DisplayName.safeParse('   ').success).toBe(false);
    expect(DisplayName.safeParse('x'.repeat(65)).success).toBe(false);
  });
});

describe('guest link codes', () => {
  const signer = new GuestLinkSigner(randomBytes(32));
  it('verify to their room until they expire', () => {
    const code = signer.sign('standup', Date.now() + 60_000);
    expect(signer.verify(code)).toBe('standup');
    expect(signer.verify(code, Date.now() + 61_000)).toBeUndefined();
  });
  it('refuse tampering, other keys and junk', () => {
    const code = signer.sign('standup', Date.now() + 60_000);
    const [payload, mac] = code.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), r: 'board' })).toString(
      'base64url',
    );
    expect(signer.verify(`${forged}.${mac}`)).toBeUndefined();
    expect(new GuestLinkSigner(randomBytes(32)).verify(code)).toBeUndefined();
    for (const junk of ['', '.', 'a.b.c', 'x'.repeat(500), `${payload}.`]) expect(signer.verify(junk)).toBeUndefined();
  });
});

describe('lobby', () => {
  it('only the ticket holder reads the decision; hosts decide by id; waiting resolves on decision', async () => {
    const lobby = new Lobby();
    const added = lobby.add('clinic', 'Gail')!;
    expect(lobby.byTicket(added.ticket)?.status).toBe('waiting');
    expect(lobby.byTicket(`${added.entry.id}.wrong`)).toBeUndefined();
    expect(lobby.decide('other-room', added.entry.id, 'admitted')).toBe(false);
    const waited = lobby.waitForDecision(added.entry.id, 10_000);
    expect(lobby.decide('clinic', added.entry.id, 'admitted')).toBe(true);
    await waited;
    expect(lobby.byTicket(added.ticket)?.status).toBe('admitted');
    expect(lobby.decide('clinic', added.entry.id, 'denied')).toBe(false);
    lobby.close();
  });
  it('caps how many wait per room', () => {
    const lobby = new Lobby({ maxPerRoom: 2 });
    expect(lobby.add('r', 'a')).toBeDefined();
    expect(lobby.add('r', 'b')).toBeDefined();
    expect(lobby.add('r', 'c')).toBeUndefined();
    expect(lobby.add('s', 'c')).toBeDefined();
    lobby.close();
  });
});

describe('throttle and setup code', () => {
  it('blocks a key after the limit until the window passes', () => {
    const c = new WindowCounter(3, 1000);
    for (let i = 0; i < 3; i++) c.hit('bob', 0);
    expect(c.blocked('bob', 10)).toBe(true);
    expect(c.blocked('alice', 10)).toBe(false);
    expect(c.blocked('bob', 1001)).toBe(false);
  });
  it('setup codes are typed back case- and dash-insensitively', () => {
    const code = newSetupCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(normalizeSetupCode(` ${code.toLowerCase().replaceAll('-', ' ')} `)).toBe(normalizeSetupCode(code));
  });
});

describe('migrations', () => {
  it('apply once, survive reopening, and refuse a newer schema', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parley-db-')), 'parley.db');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
    const again = openDatabase(file);
    expect(schemaVersion(again)).toBe(MIGRATIONS.at(-1)!.version);
    again.exec('PRAGMA user_version = 999');
    expect(() => migrate(again, MIGRATIONS)).toThrow(/newer/);
    again.close();
  });
  it('roll back a failing migration entirely', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'parley-db-')), 'parley.db'));
    const before = schemaVersion(db);
    const bad = [...MIGRATIONS, { version: before + 1, name: 'broken', sql: 'CREATE TABLE half (x); THIS IS NOT SQL;' }];
    expect(() => migrate(db, bad)).toThrow();
    expect(schemaVersion(db)).toBe(before);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    db.close();
  });
});

describe('SSE parsing', () => {
  it('splits frames across chunk boundaries and skips comments', async () => {
    const chunks = ['event: a\nda', 'ta: {"x":1}\n\n: keep-alive\n\n', 'event: b\r\ndata: 2\r\n\r\n'];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(new TextEncoder().encode(ch));
        c.close();
      },
    });
    const frames: [string, string][] = [];
    await readSse(stream, (t, d) => frames.push([t, d]));
    expect(frames).toEqual([
      ['a', '{"x":1}'],
      ['b', '2'],
    ]);
  });
});
