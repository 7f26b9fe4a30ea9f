import type { GuestLinkInfo } from '@contracts/api';
import { prepared, type Db } from './statements';

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

const SELECT = `
  SELECT g.*, u.id AS creator_id, u.username AS creator_username, u.display_name AS creator_display_name
  FROM guest_links g JOIN users u ON u.id = g.created_by`;

/**
 * Guest links, stored (only the secret's hash) so each can be listed, counted and revoked on its
 * own. A link stops working when it expires, is used up, is revoked, or its room is deleted.
 */
export class GuestLinkStore {
  constructor(private readonly db: Db) {}

  insert(l: {
    id: string;
    room: string;
    secretHash: string;
    label: string;
    createdBy: string;
    now: number;
    expiresAt: number;
    maxUses: number;
  }): GuestLinkInfo {
    prepared(
      this.db,
      `INSERT INTO guest_links (id, room_name, secret_hash, label, created_by, created_at, expires_at, max_uses)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(l.id, l.room, l.secretHash, l.label, l.createdBy, l.now, l.expiresAt, l.maxUses);
    return toInfo(prepared(this.db, `${SELECT} WHERE g.id = ?`).get(l.id) as LinkRow);
  }

  /** The links of room that still work, newest first. */
  active(room: string, now: number): GuestLinkInfo[] {
    return (
      prepared(
        this.db,
        `${SELECT} WHERE g.room_name = ? AND g.revoked_at IS NULL AND g.expires_at > ? AND g.uses < g.max_uses ORDER BY g.created_at DESC`,
      ).all(room, now) as LinkRow[]
    ).map(toInfo);
  }

  /** The room a working link opens, without spending a use. */
  peek(id: string, secretHash: string, now: number): string | undefined {
    const row = prepared(
      this.db,
      'SELECT room_name FROM guest_links WHERE id = ? AND secret_hash = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses',
    ).get(id, secretHash, now) as { room_name: string } | undefined;
    return row?.room_name;
  }

  /** Spends one use, atomically; false when the link stopped working meanwhile. */
  spend(id: string, secretHash: string, now: number): boolean {
    return (
      prepared(
        this.db,
        'UPDATE guest_links SET uses = uses + 1 WHERE id = ? AND secret_hash = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses',
      ).run(id, secretHash, now).changes === 1
    );
  }

  revoke(room: string, id: string, now: number): boolean {
    return (
      prepared(this.db, 'UPDATE guest_links SET revoked_at = ? WHERE id = ? AND room_name = ? AND revoked_at IS NULL').run(now, id, room)
        .changes === 1
    );
  }

  /** Forgets links that stopped working more than `keepMs` ago. */
  prune(now: number, keepMs: number): void {
    prepared(this.db, 'DELETE FROM guest_links WHERE expires_at < ? OR revoked_at < ?').run(now - keepMs, now - keepMs);
  }
}
