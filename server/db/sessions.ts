import { prepared, type Db } from './statements';

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: number;
}

export class SessionStore {
  /** `changed` runs after every write that can end a session, so caches of live sessions drop them. */
  constructor(
    private readonly db: Db,
    private readonly changed: () => void = () => undefined,
  ) {}

  insert(s: { id: string; userId: string; tokenHash: string; now: number; expiresAt: number }): void {
    prepared(this.db, 'INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
      s.id,
      s.userId,
      s.tokenHash,
      s.now,
      s.expiresAt,
    );
  }

  /** The live session for a token hash: not revoked, not expired. */
  active(tokenHash: string, now: number): SessionRecord | undefined {
    const row = prepared(
      this.db,
      'SELECT id, user_id, expires_at FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?',
    ).get(tokenHash, now) as { id: string; user_id: string; expires_at: number } | undefined;
    return row && { id: row.id, userId: row.user_id, expiresAt: row.expires_at };
  }

  revoke(id: string, now: number): void {
    prepared(this.db, 'UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
    this.changed();
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
