import type { RoomOptions, UserRef } from '@contracts/api';
import type { Generation } from '../shared-state/generation';
import { LocalGeneration } from '../shared-state/generation';
import type { Db } from './database';
import type { Schema } from './schema';

type RoomRow = Schema['rooms'] & { owner_username: string; owner_display_name: string };

export interface RoomRecord {
  name: string;
  title: string;
  owner: UserRef;
  options: RoomOptions;
  /** Only in 'room-key' mode; handed to those admitted, never listed. */
  e2eeKey: string | null;
  createdAt: number;
}

function toRecord(r: RoomRow): RoomRecord {
  return {
    name: r.name,
    title: r.title,
    owner: { id: r.owner_id, username: r.owner_username, displayName: r.owner_display_name },
    options: {
      lobby: Number(r.lobby) === 1,
      allowGuests: Number(r.allow_guests) === 1,
      locked: Number(r.locked) === 1,
      maxParticipants: r.max_participants,
      e2ee: r.e2ee,
      guestsCanShare: Number(r.guests_can_share) === 1,
      directCalls: Number(r.direct_calls) === 1,
      allowRecording: Number(r.allow_recording) === 1,
    },
    e2eeKey: r.e2ee_key,
    createdAt: r.created_at,
  };
}

/**
 * How long a looked-up room is reused. Every write to rooms goes through this store and bumps the
 * rooms generation (shared by every instance), which voids every cached copy at once; the lifetime
 * only bounds the owner's name, which lives in the users table.
 */
const ROOM_CACHE_MS = 5_000;
/** Bounded: past it the oldest entry goes. */
const ROOM_CACHE_ENTRIES = 10_000;

/** Cached records are shared between requests: frozen so no handler can change another's. */
function freezeRoom(r: RoomRecord): RoomRecord {
  Object.freeze(r.owner);
  Object.freeze(r.options);
  return Object.freeze(r);
}

const flags = (o: RoomOptions) => ({
  lobby: +o.lobby,
  allow_guests: +o.allowGuests,
  locked: +o.locked,
  max_participants: o.maxParticipants,
  e2ee: o.e2ee,
  guests_can_share: +o.guestsCanShare,
  direct_calls: +o.directCalls,
  allow_recording: +o.allowRecording,
});

export class RoomStore {
  // Only rooms that exist are cached, so the map is bounded by the rooms table, not by requests.
  private readonly cache = new Map<string, { room: RoomRecord; until: number; generation: number }>();

  constructor(
    private readonly db: Db,
    private readonly generation: Generation = new LocalGeneration(),
  ) {}

  private select() {
    return this.db.q
      .selectFrom('rooms as r')
      .innerJoin('users as u', 'u.id', 'r.owner_id')
      .selectAll('r')
      .select(['u.username as owner_username', 'u.display_name as owner_display_name']);
  }

  /** The room by name. Every join looks its room up, so recent lookups are served from memory. */
  async get(name: string, now = Date.now()): Promise<RoomRecord | undefined> {
    // Read before the row, so a write racing this load leaves the entry already stale.
    const generation = this.db.inTransaction ? undefined : await this.generation.current();
    const hit = this.cache.get(name);
    if (hit && hit.until > now && generation !== undefined && hit.generation === generation) return hit.room;
    const row = await this.select().where('r.name', '=', name).executeTakeFirst();
    if (!row) {
      this.cache.delete(name);
      return undefined;
    }
    const room = freezeRoom(toRecord(row));
    if (generation !== undefined) {
      if (this.cache.size >= ROOM_CACHE_ENTRIES && !this.cache.has(name)) {
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
      this.cache.set(name, { room, until: now + ROOM_CACHE_MS, generation });
    }
    return room;
  }

  /** Up to `limit` rooms by name, after `after` (paging). */
  async page(limit: number, after?: string): Promise<RoomRecord[]> {
    let q = this.select();
    if (after !== undefined) q = q.where('r.name', '>', after);
    return (await q.orderBy('r.name').limit(limit).execute()).map(toRecord);
  }

  /** Rooms a user owns, and of those how many were created since `since` (per-user caps). */
  async countOwnedBy(userId: string, since = 0): Promise<number> {
    const r = await this.db.q
      .selectFrom('rooms')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_id', '=', userId)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  private async changed(name: string): Promise<void> {
    this.cache.delete(name);
    await this.db.afterCommit(() => this.generation.bump());
  }

  /** Throws a unique-constraint error when the name is taken. */
  async insert(r: {
    name: string;
    title: string;
    ownerId: string;
    options: RoomOptions;
    e2eeKey: string | null;
    now: number;
  }): Promise<void> {
    await this.db.q
      .insertInto('rooms')
      .values({ name: r.name, title: r.title, owner_id: r.ownerId, ...flags(r.options), e2ee_key: r.e2eeKey, created_at: r.now })
      .execute();
    await this.changed(r.name);
  }

  async update(name: string, r: { title: string; options: RoomOptions; e2eeKey: string | null }): Promise<void> {
    await this.db.q
      .updateTable('rooms')
      .set({ title: r.title, ...flags(r.options), e2ee_key: r.e2eeKey })
      .where('name', '=', name)
      .execute();
    await this.changed(name);
  }

  async delete(name: string): Promise<boolean> {
    const r = await this.db.q.deleteFrom('rooms').where('name', '=', name).executeTakeFirst();
    await this.changed(name);
    return Number(r.numDeletedRows) === 1;
  }
}
