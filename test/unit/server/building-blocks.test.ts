import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSse } from '@contracts/api-client';
import { DisplayName, RoomName, Username } from '@contracts/api';
import { normalizeSetupCode, newSetupCode } from '@server/auth/setup-code';
import Database from 'libsql';
import { migrate, openSqlite, schemaVersion } from '@server/db/database';
import { MIGRATIONS } from '@server/db/migrations';
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
  it('NFC-normalizes display names and strips control characters', () => {
    expect(DisplayName.parse('  Zoe\u0301 ')).toBe('Zoé');
    expect(DisplayName.parse('bad\u0000name')).toBe('badname');
    expect(DisplayName.safeParse('   ').success).toBe(false);
    expect(DisplayName.safeParse('\u0007\u202e').success).toBe(false);
    expect(DisplayName.safeParse('x'.repeat(65)).success).toBe(false);
  });
});

describe('lobby', () => {
  it('only the ticket holder reads the decision; hosts decide by id; waiting resolves on decision', async () => {
    const lobby = new Lobby();
    const added = (await lobby.add('clinic', 'Gail'))!;
    expect((await lobby.byTicket(added.ticket))?.status).toBe('waiting');
    expect(await lobby.byTicket(`${added.entry.id}.wrong`)).toBeUndefined();
    expect(await lobby.decide('other-room', added.entry.id, 'admitted')).toBe(false);
    const waited = lobby.waitForDecision(added.entry.id, 10_000);
    expect(await lobby.decide('clinic', added.entry.id, 'admitted')).toBe(true);
    await waited;
    expect((await lobby.byTicket(added.ticket))?.status).toBe('admitted');
    expect(await lobby.decide('clinic', added.entry.id, 'denied')).toBe(false);
    lobby.close();
  });
  it('caps how many wait per room', async () => {
    const lobby = new Lobby({ maxPerRoom: 2 });
    expect(await lobby.add('r', 'a')).toBeDefined();
    expect(await lobby.add('r', 'b')).toBeDefined();
    expect(await lobby.add('r', 'c')).toBeUndefined();
    expect(await lobby.add('s', 'c')).toBeDefined();
    lobby.close();
  });
});

describe('setup code', () => {
  it('setup codes are typed back case- and dash-insensitively', () => {
    const code = newSetupCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(normalizeSetupCode(` ${code.toLowerCase().replaceAll('-', ' ')} `)).toBe(normalizeSetupCode(code));
  });
});

describe('migrations', () => {
  it('apply once, survive reopening, and refuse a newer schema', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parley-db-')), 'parley.db');
    await openSqlite(file).close();
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
    await openSqlite(file).close();
    const again = new Database(file);
    expect(schemaVersion(again)).toBe(MIGRATIONS.at(-1)!.version);
    again.exec('PRAGMA user_version = 999');
    expect(() => migrate(again, MIGRATIONS)).toThrow(/newer/);
    again.close();
    expect(() => openSqlite(file)).toThrow(/newer than this server knows/);
  });
  it('roll back a failing migration entirely', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parley-db-')), 'parley.db');
    await openSqlite(file).close();
    const db = new Database(file);
    const before = schemaVersion(db);
    const bad = [...MIGRATIONS, { version: before + 1, name: 'broken', sqlite: 'CREATE TABLE half (x); THIS IS NOT SQL;', postgres: '' }];
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
