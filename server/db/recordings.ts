import type { Recording, RecordingEndReason } from '@contracts/api';
import type { Db } from './database';
import type { Schema } from './schema';

type RecordingRow = Schema['recordings'] & {
  started_by_username: string | null;
  started_by_display_name: string | null;
};

export type StorageKind = 'local' | 's3';

/** A recording as the server keeps it: the API shape plus where its file lives. */
export interface RecordingRecord extends Recording {
  storage: StorageKind;
  /** The file's key in its store (a path under the recordings folder, or an S3 key); null until stored. */
  storageKey: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toRecord(r: RecordingRow): RecordingRecord {
  return {
    id: r.id,
    room: r.room_name,
    meetingId: r.meeting_id,
    startedAt: iso(Number(r.started_at)),
    endedAt: r.ended_at === null ? null : iso(Number(r.ended_at)),
    durationSeconds: r.duration_ms === null ? null : Math.round(Number(r.duration_ms) / 100) / 10,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    status: r.status,
    partial: Number(r.partial) === 1,
    endReason: r.end_reason as RecordingEndReason | null,
    startedBy:
      r.started_by && r.started_by_username
        ? { id: r.started_by, username: r.started_by_username, displayName: r.started_by_display_name ?? r.started_by_username }
        : null,
    storage: r.storage,
    storageKey: r.storage_key,
  };
}

/**
 * Recordings and their lifecycle: recording → processing → ready | failed. Every recording query of
 * the server is here. Only one row per room may be 'recording' (a partial unique index), so two
 * concurrent starts cannot both succeed.
 */
export class RecordingStore {
  constructor(private readonly db: Db) {}

  private select() {
    return this.db.q
      .selectFrom('recordings as r')
      .leftJoin('users as u', 'u.id', 'r.started_by')
      .selectAll('r')
      .select(['u.username as started_by_username', 'u.display_name as started_by_display_name']);
  }

  /** False when the room already has a recording in progress. */
  async start(r: {
    id: string;
    room: string;
    meetingId: string | null;
    startedBy: string;
    at: number;
    storage: StorageKind;
  }): Promise<boolean> {
    const res = await this.db.q
      .insertInto('recordings')
      .values({
        id: r.id,
        room_name: r.room,
        meeting_id: r.meetingId,
        started_by: r.startedBy,
        started_at: r.at,
        status: 'recording',
        partial: 0,
        storage: r.storage,
      })
      // The partial unique index (one 'recording' row per room) is the conflict that matters here.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(id: string): Promise<RecordingRecord | undefined> {
    const row = await this.select().where('r.id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async activeIn(room: string): Promise<RecordingRecord | undefined> {
    const row = await this.select().where('r.room_name', '=', room).where('r.status', '=', 'recording').executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Recordings left 'recording' or 'processing' by an earlier run of the server. */
  async unfinished(): Promise<RecordingRecord[]> {
    const rows = await this.select().where('r.status', 'in', ['recording', 'processing']).orderBy('r.started_at').execute();
    return rows.map(toRecord);
  }

  /** recording → processing, once; false if it had already left 'recording'. */
  async stopped(id: string, r: { at: number; reason: RecordingEndReason; partial: boolean }): Promise<boolean> {
    const res = await this.db.q
      .updateTable('recordings')
      .set({ status: 'processing', ended_at: r.at, end_reason: r.reason, partial: +r.partial })
      .where('id', '=', id)
      .where('status', '=', 'recording')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Marks partial (and gives a reason if none was recorded), whatever the state. */
  async markPartial(id: string, reason: RecordingEndReason): Promise<void> {
    await this.db.q
      .updateTable('recordings')
      .set((eb) => ({ partial: 1, end_reason: eb.fn.coalesce('end_reason', eb.val(reason)) }))
      .where('id', '=', id)
      .execute();
  }

  /** processing → ready, with the stored file and where it ended up (a failed upload keeps it on disk). */
  async ready(id: string, f: { durationMs: number; sizeBytes: number; storageKey: string; storage: StorageKind }): Promise<void> {
    await this.db.q
      .updateTable('recordings')
      .set({
        status: 'ready',
        duration_ms: Math.round(f.durationMs),
        size_bytes: f.sizeBytes,
        storage_key: f.storageKey,
        storage: f.storage,
      })
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .execute();
  }

  async failed(id: string, at: number, reason: RecordingEndReason | null): Promise<void> {
    await this.db.q
      .updateTable('recordings')
      .set((eb) => ({
        status: 'failed',
        ended_at: eb.fn.coalesce('ended_at', eb.val(at)),
        end_reason: eb.fn.coalesce('end_reason', eb.val(reason)),
        partial: 1,
      }))
      .where('id', '=', id)
      .where('status', 'in', ['recording', 'processing'])
      .execute();
  }

  async list(q: { room?: string | undefined; before?: number | undefined; limit: number }): Promise<RecordingRecord[]> {
    let query = this.select();
    if (q.room) query = query.where('r.room_name', '=', q.room);
    if (q.before !== undefined) query = query.where('r.started_at', '<', q.before);
    const rows = await query.orderBy('r.started_at', 'desc').limit(q.limit).execute();
    return rows.map(toRecord);
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.q.deleteFrom('recordings').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}

/** The API's view: where the file lives stays on the server. */
export function toApiRecording(r: RecordingRecord): Recording {
  const { storage: _storage, storageKey: _key, ...api } = r;
  return api;
}
