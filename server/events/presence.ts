import type { Participant } from '@contracts/api';

/**
 * Who is in which room, as the SFU's webhooks report it. Routes "joined/left" events to the users in
 * that room, and fills the room listing without asking the SFU about every open room. In memory for
 * one instance (MemoryPresence); in Redis when several share the webhooks (presence-redis.ts).
 */
export interface Presence {
  join(room: string, p: Participant): Promise<void>;
  leave(room: string, identity: string): Promise<void>;
  clear(room: string): Promise<void>;
  /** Who is in room now, in joining order. */
  participants(room: string): Promise<Participant[]>;
  /** The same for several rooms at once (one round trip where it matters). */
  participantsOf(rooms: readonly string[]): Promise<Map<string, Participant[]>>;
  /** Ids of the signed-in users in room (guests have none). */
  userIds(room: string): Promise<Set<string>>;
}

export function userIdsOf(people: Iterable<Participant>): Set<string> {
  const ids = new Set<string>();
  for (const p of people) if (p.userId) ids.add(p.userId);
  return ids;
}

export class MemoryPresence implements Presence {
  private readonly rooms = new Map<string, Map<string, Participant>>();

  async join(room: string, p: Participant): Promise<void> {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Map()));
    members.set(p.identity, p);
  }

  async leave(room: string, identity: string): Promise<void> {
    const members = this.rooms.get(room);
    members?.delete(identity);
    if (members?.size === 0) this.rooms.delete(room);
  }

  async clear(room: string): Promise<void> {
    this.rooms.delete(room);
  }

  async participants(room: string): Promise<Participant[]> {
    return [...(this.rooms.get(room)?.values() ?? [])];
  }

  async participantsOf(rooms: readonly string[]): Promise<Map<string, Participant[]>> {
    return new Map(rooms.map((r) => [r, [...(this.rooms.get(r)?.values() ?? [])]]));
  }

  async userIds(room: string): Promise<Set<string>> {
    return userIdsOf(this.rooms.get(room)?.values() ?? []);
  }
}
