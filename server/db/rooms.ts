import type { E2eeMode, RoomOptions, UserRef } from '../api/contract';
import type { Db } from './database';

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
    },
    e2eeKey: r.e2ee_key,
    createdAt: r.created_at,
  };
}

export class RoomStore {
  constructor(private readonly db: Db) {}

  get(name: string): RoomRecord | undefined {
    const row = this.db.prepare(`${SELECT} WHERE r.name = ?`).get(name) as RoomRow | undefined;
    return row && toRecord(row);
  }

  list(): RoomRecord[] {
    return (this.db.prepare(`${SELECT} ORDER BY r.name`).all() as RoomRow[]).map(toRecord);
  }

  /** Throws a SQLite constraint error when the name is taken. */
  insert(r: { name: string; title: string; ownerId: string; options: RoomOptions; e2eeKey: string | null; now: number }): void {
    this.db
      .prepare(
        `INSERT INTO rooms (name, title, owner_id, lobby, allow_guests, locked, max_participants, e2ee, e2ee_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.name, r.title, r.ownerId, +r.options.lobby, +r.options.allowGuests, +r.options.locked, r.options.maxParticipants, r.options.e2ee, r.e2eeKey, r.now);
  }

  update(name: string, r: { title: string; options: RoomOptions; e2eeKey: string | null }): void {
    this.db
      .prepare(
        `UPDATE rooms SET title = ?, lobby = ?, allow_guests = ?, locked = ?, max_participants = ?, e2ee = ?, e2ee_key = ?
         WHERE name = ?`,
      )
      .run(r.title, +r.options.lobby, +r.options.allowGuests, +r.options.locked, r.options.maxParticipants, r.options.e2ee, r.e2eeKey, name);
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM rooms WHERE name = ?').run(name).changes === 1;
  }
}
