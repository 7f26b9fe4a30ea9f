import type { GuestLinkInfo } from '@contracts/api';
import type { Db } from './database';

interface LinkRow {
  id: string;
  room_name: string;
  label: string;
  created_at: number;
  expires_at: number;
  max_uses: number;
  uses: number;
  creator_id: string;
  creator_username: string;
  creator_display_name: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toInfo(r: LinkRow): GuestLinkInfo {
  return {
    id: r.id,
    room: r.room_name,
    label: r.label,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    maxUses: r.max_uses,
    uses: r.uses,
    createdBy: { id: r.creator_id, username: r.creator_username, displayName: r.creator_display_name },
  };
}

/**
 * Guest links, stored (only the secret's hash) so each can be listed, counted and revoked on its
 * own. A link stops working when it expires, is used up, is revoked, or its room is deleted.
 */
export class GuestLinkStore {
  constructor(private readonly db: Db) {}

  private select() {
    return this.db.q
      .selectFrom('guest_links as g')
      .innerJoin('users as u', 'u.id', 'g.created_by')
      .select([
        'g.id',
        'g.room_name',
        'g.label',
        'g.created_at',
        'g.expires_at',
        'g.max_uses',
        'g.uses',
        'u.id as creator_id',
        'u.username as creator_username',
        'u.display_name as creator_display_name',
      ]);
  }

  async insert(l: {
    id: string;
    room: string;
    secretHash: string;
    label: string;
    createdBy: string;
    now: number;
    expiresAt: number;
    maxUses: number;
  }): Promise<GuestLinkInfo> {
    await this.db.q
      .insertInto('guest_links')
      .values({
        id: l.id,
        room_name: l.room,
        secret_hash: l.secretHash,
        label: l.label,
        created_by: l.createdBy,
        created_at: l.now,
        expires_at: l.expiresAt,
        max_uses: l.maxUses,
        uses: 0,
      })
      .execute();
    return toInfo(await this.select().where('g.id', '=', l.id).executeTakeFirstOrThrow());
  }

  /** The links of room that still work, newest first. */
  async active(room: string, now: number): Promise<GuestLinkInfo[]> {
    const rows = await this.select()
      .where('g.room_name', '=', room)
      .where('g.revoked_at', 'is', null)
      .where('g.expires_at', '>', now)
      .whereRef('g.uses', '<', 'g.max_uses')
      .orderBy('g.created_at', 'desc')
      .execute();
    return rows.map(toInfo);
  }

  /** The room a working link opens, without spending a use. */
  async peek(id: string, secretHash: string, now: number): Promise<string | undefined> {
    const row = await this.db.q
      .selectFrom('guest_links')
      .select('room_name')
      .where('id', '=', id)
      .where('secret_hash', '=', secretHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .whereRef('uses', '<', 'max_uses')
      .executeTakeFirst();
    return row?.room_name;
  }

  /** Spends one use, atomically; false when the link stopped working meanwhile. */
  async spend(id: string, secretHash: string, now: number): Promise<boolean> {
    const r = await this.db.q
      .updateTable('guest_links')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', id)
      .where('secret_hash', '=', secretHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .whereRef('uses', '<', 'max_uses')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async revoke(room: string, id: string, now: number): Promise<boolean> {
    const r = await this.db.q
      .updateTable('guest_links')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('room_name', '=', room)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Forgets links that stopped working more than `keepMs` ago. */
  async prune(now: number, keepMs: number): Promise<void> {
    await this.db.q
      .deleteFrom('guest_links')
      .where((eb) => eb.or([eb('expires_at', '<', now - keepMs), eb('revoked_at', '<', now - keepMs)]))
      .execute();
  }
}
