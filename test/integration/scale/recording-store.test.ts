import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, openSqlite, type Db } from '@server/db/database';
import { RecordingStore } from '@server/db/recordings';
import { RoomStore } from '@server/db/rooms';
import { startPostgres, type TestPostgres } from '../../support/cluster/postgres';

// The recordings store and migration 3 on both engines: the one-recording-per-room rule lives in a
// partial unique index, so it must hold in PostgreSQL as it does in SQLite.
describe.each(['sqlite', 'postgres'] as const)('recordings store on %s', (engine) => {
  let postgres: TestPostgres | undefined;
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-rec-store-'));
    if (engine === 'postgres') {
      postgres = await startPostgres();
      db = await openPostgres(await postgres.createDatabase());
    } else db = openSqlite(join(dir, 'parley.db'));
    await db.q
      .insertInto('users')
      .values({ id: 'u1', username: 'ada', display_name: 'Ada', password_hash: 'x', role: 'admin', disabled: 0, created_at: 1 })
      .execute();
  });
  afterAll(async () => {
    await db?.close();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allows one recording per room at a time, and walks it to ready', async () => {
    const store = new RecordingStore(db);
    const start = (id: string, at: number) => store.start({ id, room: 'standup', meetingId: null, startedBy: 'u1', at, storage: 'local' });
    expect(await start('r1', 1_000)).toBe(true);
    expect(await start('r2', 2_000)).toBe(false);
    expect((await store.activeIn('standup'))?.id).toBe('r1');
    expect(await store.stopped('r1', { at: 5_000, reason: 'stopped', partial: false })).toBe(true);
    expect(await store.stopped('r1', { at: 6_000, reason: 'host-left', partial: true })).toBe(false);
    expect(await start('r2', 7_000)).toBe(true);
    await store.ready('r1', { durationMs: 4_049, sizeBytes: 12_345, storageKey: 'r1/meeting.mp4', storage: 'local' });
    await store.markPartial('r2', 'disk-full');
    await store.failed('r2', 9_000, 'recorder-failed');
    const [r2, r1] = await store.list({ limit: 10 });
    expect(r1).toMatchObject({ id: 'r1', status: 'ready', durationSeconds: 4, sizeBytes: 12_345, partial: false, endReason: 'stopped' });
    expect(r1?.startedBy).toEqual({ id: 'u1', username: 'ada', displayName: 'Ada' });
    expect(r2).toMatchObject({ id: 'r2', status: 'failed', partial: true, endReason: 'disk-full' });
    expect(r2?.endedAt).toBe(new Date(9_000).toISOString());
    expect((await store.list({ room: 'standup', before: 7_000, limit: 10 })).map((r) => r.id)).toEqual(['r1']);
    expect(await store.unfinished()).toEqual([]);
    expect(await store.delete('r2')).toBe(true);
    expect(await store.get('r2')).toBeUndefined();
  });

  it('keeps the room option that allows recording', async () => {
    const rooms = new RoomStore(db);
    const options = {
      lobby: false,
      allowGuests: true,
      locked: false,
      maxParticipants: null,
      e2ee: 'off' as const,
      guestsCanShare: false,
      directCalls: true,
    };
    await rooms.insert({
      name: 'quiet',
      title: 'Quiet',
      ownerId: 'u1',
      options: { ...options, allowRecording: false },
      e2eeKey: null,
      now: 1,
    });
    expect((await rooms.get('quiet'))?.options.allowRecording).toBe(false);
    await rooms.update('quiet', { title: 'Quiet', options: { ...options, allowRecording: true }, e2eeKey: null });
    expect((await rooms.get('quiet'))?.options.allowRecording).toBe(true);
  });
});
