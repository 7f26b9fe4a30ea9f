import type { Role } from '@contracts/api';
import { prepared, scalar, type Db } from './statements';

export class InviteStore {
  constructor(private readonly db: Db) {}

  insert(i: { codeHash: string; role: Role; createdBy: string; now: number; expiresAt: number }): void {
    prepared(this.db, 'INSERT INTO invites (code_hash, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
      i.codeHash,
      i.role,
      i.createdBy,
      i.now,
      i.expiresAt,
    );
  }

  /** The role of an unused, unexpired invite. */
  usable(codeHash: string, now: number): Role | undefined {
    return scalar(this.db, 'SELECT role FROM invites WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?', codeHash, now) as
      Role | undefined;
  }

  /** Marks the invite used; false when someone else used it first (call inside the registering transaction). */
  consume(codeHash: string, userId: string, now: number): boolean {
    const r = prepared(
      this.db,
      'UPDATE invites SET used_by = ?, used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?',
    ).run(userId, now, codeHash, now);
    return r.changes === 1;
  }
}
