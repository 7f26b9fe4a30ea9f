import type { Db } from './database';
import type { Schema } from './schema';

export interface SessionRecord {
  id: string;
  userId: string;
  /** When the session ends unless it is used again (slides forward on use, up to maxExpiresAt). */
  expiresAt: number;
  /** The fixed end, counted from sign-in: after it, signing in again is the only way. */
  maxExpiresAt: number;
  lastUsedAt: number;
}

export interface SessionRow {
  id: string;
  client: string;
  address: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
}

type Row = Schema['sessions'];

export class SessionStore {
  /** `changed` runs after every write that can end a session commits, so caches of live sessions drop them. */
  constructor(
    private readonly db: Db,
    private readonly changed: () => Promise<void> = async () => undefined,
  ) {}

  async insert(s: {
    id: string;
    userId: string;
    tokenHash: string;
    now: number;
    expiresAt: number;
    maxExpiresAt: number;
    client: string;
    address: string;
  }): Promise<void> {
    await this.db.q
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        token_hash: s.tokenHash,
        created_at: s.now,
        expires_at: s.expiresAt,
        max_expires_at: s.maxExpiresAt,
        last_used_at: s.now,
        client: s.client,
        address: s.address,
      })
      .execute();
  }

  /** The live session for a token hash: not revoked, not expired. */
  async active(tokenHash: string, now: number): Promise<SessionRecord | undefined> {
    const row = await this.db.q
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * Records a use and slides the expiry. Ends no session and changes no rights, so caches of live
   * sessions stay valid (`changed` is not called).
   */
  async touch(id: string, now: number, expiresAt: number): Promise<void> {
    await this.db.q
      .updateTable('sessions')
      .set({ last_used_at: now, expires_at: expiresAt })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** A user's live sessions, most recently used first. */
  async listOf(userId: string, now: number): Promise<SessionRow[]> {
    const rows = await this.db.q
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_used_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      client: r.client,
      address: r.address,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at ?? r.created_at,
      expiresAt: r.expires_at,
    }));
  }

  async revoke(id: string, now: number): Promise<void> {
    await this.db.q.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    await this.db.afterCommit(this.changed);
  }

  /** Revokes one of the user's own sessions; false when it is not theirs or already ended. */
  async revokeOf(userId: string, id: string, now: number): Promise<boolean> {
    const r = await this.db.q
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    await this.db.afterCommit(this.changed);
    return Number(r.numUpdatedRows) === 1;
  }

  /** Every session of the user but `keepId` (after a password change). Returns the revoked ids. */
  async revokeOthers(userId: string, keepId: string, now: number): Promise<string[]> {
    const rows = await this.db.q
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('id', '!=', keepId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    await this.db.afterCommit(this.changed);
    return rows.map((r) => r.id);
  }

  async revokeAllOf(userId: string, now: number): Promise<void> {
    await this.db.q
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    await this.db.afterCommit(this.changed);
  }

  /** Forgets sessions that ended more than `keepMs` ago. */
  async prune(now: number, keepMs: number): Promise<void> {
    await this.db.q
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', now - keepMs), eb('revoked_at', '<', now - keepMs)]))
      .execute();
    await this.db.afterCommit(this.changed);
  }
}

function toRecord(r: Row): SessionRecord {
  return {
    id: r.id,
    userId: r.user_id,
    expiresAt: r.expires_at,
    maxExpiresAt: r.max_expires_at ?? r.expires_at,
    lastUsedAt: r.last_used_at ?? r.created_at,
  };
}
