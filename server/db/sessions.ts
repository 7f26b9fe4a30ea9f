import type { Db } from './database';

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: number;
}

export class SessionStore {
  constructor(private readonly db: Db) {}

  insert(s: { id: string; userId: string; tokenHash: string; now: number; expiresAt: number }): void {
    this.db
      .prepare('INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.id, s.userId, s.tokenHash, s.now, s.expiresAt);
  }

  /** The live session for a token hash: not revoked, not expired. */
  active(tokenHash: string, now: number): SessionRecord | undefined {
    const row = this.db
      .prepare('SELECT id, user_id, expires_at FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?')
      .get(tokenHash, now) as { id: string; user_id: string; expires_at: number } | undefined;
    return row && { id: row.id, userId: row.user_id, expiresAt: row.expires_at };
  }

  revoke(id: string, now: number): void {
    this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
  }

  revokeAllOf(userId: string, now: number): void {
    this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId);
  }

  /** Forgets sessions that ended more than `keepMs` ago. */
  prune(now: number, keepMs: number): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?').run(now - keepMs, now - keepMs);
  }
}
