import { prepared, type Db } from './statements';

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

interface Row {
  id: string;
  user_id: string;
  expires_at: number;
  max_expires_at: number | null;
  last_used_at: number | null;
  created_at: number;
  client: string;
  address: string;
}

export class SessionStore {
  /** `changed` runs after every write that can end a session, so caches of live sessions drop them. */
  constructor(
    private readonly db: Db,
    private readonly changed: () => void = () => undefined,
  ) {}

  insert(s: {
    id: string;
    userId: string;
    tokenHash: string;
    now: number;
    expiresAt: number;
    maxExpiresAt: number;
    client: string;
    address: string;
  }): void {
    prepared(
      this.db,
      `INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, max_expires_at, last_used_at, client, address)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(s.id, s.userId, s.tokenHash, s.now, s.expiresAt, s.maxExpiresAt, s.now, s.client, s.address);
  }

  /** The live session for a token hash: not revoked, not expired. */
  active(tokenHash: string, now: number): SessionRecord | undefined {
    const row = prepared(this.db, 'SELECT * FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?').get(
      tokenHash,
      now,
    ) as Row | undefined;
    return row && toRecord(row);
  }

  /**
   * Records a use and slides the expiry. Ends no session and changes no rights, so caches of live
   * sessions stay valid (`changed` is not called).
   */
  touch(id: string, now: number, expiresAt: number): void {
    prepared(this.db, 'UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, expiresAt, id);
  }

  /** A user's live sessions, most recently used first. */
  listOf(userId: string, now: number): SessionRow[] {
    const rows = prepared(
      this.db,
      'SELECT * FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_used_at DESC',
    ).all(userId, now) as Row[];
    return rows.map((r) => ({
      id: r.id,
      client: r.client,
      address: r.address,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at ?? r.created_at,
      expiresAt: r.expires_at,
    }));
  }

  revoke(id: string, now: number): void {
    prepared(this.db, 'UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
    this.changed();
  }

  /** Revokes one of the user's own sessions; false when it is not theirs or already ended. */
  revokeOf(userId: string, id: string, now: number): boolean {
    const r = prepared(
      this.db,
      'UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?',
    ).run(now, id, userId, now);
    this.changed();
    return r.changes === 1;
  }

  /** Every session of the user but `keepId` (after a password change). Returns the revoked ids. */
  revokeOthers(userId: string, keepId: string, now: number): string[] {
    const ids = (
      prepared(this.db, 'SELECT id FROM sessions WHERE user_id = ? AND id != ? AND revoked_at IS NULL').all(userId, keepId) as {
        id: string;
      }[]
    ).map((r) => r.id);
    prepared(this.db, 'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id != ? AND revoked_at IS NULL').run(now, userId, keepId);
    this.changed();
    return ids;
  }

  revokeAllOf(userId: string, now: number): void {
    prepared(this.db, 'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId);
    this.changed();
  }

  /** Forgets sessions that ended more than `keepMs` ago. */
  prune(now: number, keepMs: number): void {
    prepared(this.db, 'DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?').run(now - keepMs, now - keepMs);
    this.changed();
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
