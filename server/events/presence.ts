import type { Participant } from '@contracts/api';

/**
 * Who is in which room, as the SFU's webhooks report it. Routes "joined/left" events to the users in
 * that room, and fills the room listing without asking the SFU about every open room.
 */
export class Presence {
  private readonly rooms = new Map<string, Map<string, Participant>>();

  join(room: string, p: Participant): void {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Map()));
    members.set(p.identity, p);
  }

  leave(room: string, identity: string): void {
    const members = this.rooms.get(room);
    members?.delete(identity);
    if (members?.size === 0) this.rooms.delete(room);
  }

  clear(room: string): void {
    this.rooms.delete(room);
  }

  /** Who is in room now, in joining order. */
  participants(room: string): Participant[] {
    return [...(this.rooms.get(room)?.values() ?? [])];
  }

  /** Ids of the signed-in users in room (guests have none). */
  userIds(room: string): Set<string> {
    const ids = new Set<string>();
    for (const p of this.rooms.get(room)?.values() ?? []) if (p.userId) ids.add(p.userId);
    return ids;
  }
}
