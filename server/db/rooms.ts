import type { E2eeMode, RoomOptions, UserRef } from '@contracts/api';
import { prepared, scalar, type Db } from './statements';

interface RoomRow {
  name: string;
  title: string;
  owner_id: string;
  owner_username: string;
  owner_display_name: string;
  lobby: number;
  allow_guests: number;
  locked: number;
  max_participants: number | null;
  e2ee: E2eeMode;
  e2ee_key: string | null;
  guests_can_share: number;
  created_at: number;
}

export interface RoomRecord {
  name: string;
  title: string;
  owner: UserRef;
  options: RoomOptions;
  /** Only in 'room-key' mode; handed to those admitted, never listed. */
  e2eeKey: string | null;
  createdAt: number;
}

const SELECT = `
  SELECT r.*, u.username AS owner_username, u.display_name AS owner_display_name
  FROM rooms r JOIN users u ON u.id = r.owner_id`;

function toRecord(r: RoomRow): RoomRecord {
  return {
    name: r.name,
    title: r.title,
    owner: { id: r.owner_id, username: r.owner_username, displayName: r.owner_display_name },
    options: {
      lobby: r.lobby === 1,
      allowGuests: r.allow_guests === 1,
      locked: r.locked === 1,
      maxParticipants: r.max_participants,
      e2ee: r.e2ee,
      guestsCanShare: r.guests_can_share === 1,
    },
    e2eeKey: r.e2ee_key,
    createdAt: r.created_at,
  };
}

/**
 * How long a looked-up room is reused. Every write to rooms goes through this store and clears the
 * cache at once; the lifetime only bounds the owner's name, which lives in the users table.
 */
const ROOM_CACHE_MS = 5_000;

/** Cached records are shared between requests: frozen so no handler can change another's. */
function freezeRoom(r: RoomRecord): RoomRecord {
  Object.freeze(r.owner);
  Object.freeze(r.options);
  return Object.freeze(r);
}

export class RoomStore {
  // Only rooms that exist are cached, so the map is bounded by the rooms table, not by requests.
  private readonly cache = new Map<string, { room: RoomRecord; until: number }>();

  constructor(private readonly db: Db) {}

  /** The room by name. Every join looks its room up, so recent lookups are served from memory. */
  get(name: string, now = Date.now()): RoomRecord | undefined {
    const hit = this.cache.get(name);
    if (hit && hit.until > now) return hit.room;
    const row = prepared(this.db, `${SELECT} WHERE r.name = ?`).get(name) as RoomRow | undefined;
    if (!row) {
      this.cache.delete(name);
      return undefined;
    }
    const room = freezeRoom(toRecord(row));
    this.cache.set(name, { room, until: now + ROOM_CACHE_MS });
    return room;
  }

  /** Up to `limit` rooms by name, after `after` (paging). */
  page(limit: number, after?: string): RoomRecord[] {
    const rows =
      after === undefined
        ? prepared(this.db, `${SELECT} ORDER BY r.name LIMIT ?`).all(limit)
        : prepared(this.db, `${SELECT} WHERE r.name > ? ORDER BY r.name LIMIT ?`).all(after, limit);
    return (rows as RoomRow[]).map(toRecord);
  }

  /** Rooms a user owns, and of those how many were created since `since` (per-user caps). */
  countOwnedBy(userId: string, since = 0): number {
    return Number(scalar(this.db, 'SELECT count(*) FROM rooms WHERE owner_id = ? AND created_at >= ?', userId, since));
  }

  /** Throws a SQLite constraint error when the name is taken. */
  insert(r: { name: string; title: string; ownerId: string; options: RoomOptions; e2eeKey: string | null; now: number }): void {
    prepared(
      this.db,
      `INSERT INTO rooms (name, title, owner_id, lobby, allow_guests, locked, max_participants, e2ee, e2ee_key, guests_can_share, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.name,
      r.title,
      r.ownerId,
      +r.options.lobby,
      +r.options.allowGuests,
      +r.options.locked,
      r.options.maxParticipants,
      r.options.e2ee,
      r.e2eeKey,
      +r.options.guestsCanShare,
      r.now,
    );
    this.cache.delete(r.name);
  }

  update(name: string, r: { title: string; options: RoomOptions; e2eeKey: string | null }): void {
    prepared(
      this.db,
      `UPDATE rooms SET title = ?, lobby = ?, allow_guests = ?, locked = ?, max_participants = ?, e2ee = ?, e2ee_key = ?, guests_can_share = ?
         WHERE name = ?`,
    ).run(
      r.title,
      +r.options.lobby,
      +r.options.allowGuests,
      +r.options.locked,
      r.options.maxParticipants,
      r.options.e2ee,
      r.e2eeKey,
      +r.options.guestsCanShare,
      name,
    );
    this.cache.delete(name);
  }

  delete(name: string): boolean {
    const deleted = prepared(this.db, 'DELETE FROM rooms WHERE name = ?').run(name).changes === 1;
    this.cache.delete(name);
    return deleted;
  }
}
