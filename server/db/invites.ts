import type { InviteInfo, Role } from '@contracts/api';
import { prepared, scalar, type Db } from './statements';

interface InviteRow {
  id: string;
  role: Role;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  creator_id: string | null;
  creator_username: string | null;
  creator_display_name: string | null;
  user_id: string | null;
  user_username: string | null;
  user_display_name: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string | null, username: string | null, displayName: string | null) =>
  id && username !== null && displayName !== null ? { id, username, displayName } : null;

export class InviteStore {
  constructor(private readonly db: Db) {}

  insert(i: { id: string; codeHash: string; role: Role; createdBy: string; now: number; expiresAt: number }): void {
    prepared(this.db, 'INSERT INTO invites (id, code_hash, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      i.id,
      i.codeHash,
      i.role,
      i.createdBy,
      i.now,
      i.expiresAt,
    );
  }

  /** The role of an unused, unrevoked, unexpired invite. */
  usable(codeHash: string, now: number): Role | undefined {
    return scalar(
      this.db,
      'SELECT role FROM invites WHERE code_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
      codeHash,
      now,
    ) as Role | undefined;
  }

  /** Marks the invite used; false when someone else used it first (call inside the registering transaction). */
  consume(codeHash: string, userId: string, now: number): boolean {
    const r = prepared(
      this.db,
      'UPDATE invites SET used_by = ?, used_at = ? WHERE code_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
    ).run(userId, now, codeHash, now);
    return r.changes === 1;
  }

  /** Invites newest first, bounded: old used or expired ones matter less than the open ones. */
  list(now: number, limit = 200): InviteInfo[] {
    const rows = prepared(
      this.db,
      `SELECT i.id, i.role, i.created_at, i.expires_at, i.used_at, i.revoked_at,
              c.id AS creator_id, c.username AS creator_username, c.display_name AS creator_display_name,
              u.id AS user_id, u.username AS user_username, u.display_name AS user_display_name
         FROM invites i LEFT JOIN users c ON c.id = i.created_by LEFT JOIN users u ON u.id = i.used_by
         ORDER BY i.created_at DESC LIMIT ?`,
    ).all(limit) as InviteRow[];
    return rows.map((r) => ({
      id: r.id,
      role: r.role,
      status: r.revoked_at !== null ? 'revoked' : r.used_at !== null ? 'used' : r.expires_at <= now ? 'expired' : 'open',
      createdAt: iso(r.created_at),
      expiresAt: iso(r.expires_at),
      createdBy: ref(r.creator_id, r.creator_username, r.creator_display_name),
      usedBy: ref(r.user_id, r.user_username, r.user_display_name),
    }));
  }

  /** Revokes an invite nobody used yet; false when there is none such. */
  revoke(id: string, now: number): boolean {
    return (
      prepared(this.db, 'UPDATE invites SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL').run(now, id)
        .changes === 1
    );
  }
}
