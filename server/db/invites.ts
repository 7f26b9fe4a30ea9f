import type { InviteInfo, Role } from '@contracts/api';
import type { Db } from './database';

const iso = (ms: number) => new Date(ms).toISOString();
const ref = (id: string | null, username: string | null, displayName: string | null) =>
  id && username !== null && displayName !== null ? { id, username, displayName } : null;

export class InviteStore {
  constructor(private readonly db: Db) {}

  async insert(i: { id: string; codeHash: string; role: Role; createdBy: string; now: number; expiresAt: number }): Promise<void> {
    await this.db.q
      .insertInto('invites')
      .values({ id: i.id, code_hash: i.codeHash, role: i.role, created_by: i.createdBy, created_at: i.now, expires_at: i.expiresAt })
      .execute();
  }

  /** The role of an unused, unrevoked, unexpired invite. */
  async usable(codeHash: string, now: number): Promise<Role | undefined> {
    const r = await this.db.q
      .selectFrom('invites')
      .select('role')
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return r?.role;
  }

  /** Marks the invite used; false when someone else used it first (call inside the registering transaction). */
  async consume(codeHash: string, userId: string, now: number): Promise<boolean> {
    const r = await this.db.q
      .updateTable('invites')
      .set({ used_by: userId, used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Invites newest first, bounded: old used or expired ones matter less than the open ones. */
  async list(now: number, limit = 200): Promise<InviteInfo[]> {
    const rows = await this.db.q
      .selectFrom('invites as i')
      .leftJoin('users as c', 'c.id', 'i.created_by')
      .leftJoin('users as u', 'u.id', 'i.used_by')
      .select([
        'i.id',
        'i.role',
        'i.created_at',
        'i.expires_at',
        'i.used_at',
        'i.revoked_at',
        'c.id as creator_id',
        'c.username as creator_username',
        'c.display_name as creator_display_name',
        'u.id as user_id',
        'u.username as user_username',
        'u.display_name as user_display_name',
      ])
      .orderBy('i.created_at', 'desc')
      .limit(limit)
      .execute();
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
  async revoke(id: string, now: number): Promise<boolean> {
    const r = await this.db.q
      .updateTable('invites')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
