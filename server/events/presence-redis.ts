import { Participant } from '@contracts/api';
import type { SharedRedis } from '../shared-state/redis';
import { userIdsOf, type Presence } from './presence';

/**
 * Presence in Redis: the SFU posts each webhook to one instance (whichever the balancer picks), and
 * every instance lists rooms from the same record. One hash per room: identity -> participant,
 * stamped with a sequence number so the joining order survives. A room's hash expires a day after
 * its last change, so a missed room_finished cannot keep people "in" forever.
 */
const ROOM_TTL_S = 24 * 3600;

export class RedisPresence implements Presence {
  constructor(private readonly redis: SharedRedis) {}

  private key(room: string): string {
    return `${this.redis.prefix}presence:${room}`;
  }

  async join(room: string, p: Participant): Promise<void> {
    const seq = await this.redis.cmd.incr(`${this.redis.prefix}presence-seq`);
    await this.redis.cmd.multi().hset(this.key(room), p.identity, JSON.stringify({ seq, p })).expire(this.key(room), ROOM_TTL_S).exec();
  }

  async leave(room: string, identity: string): Promise<void> {
    await this.redis.cmd.hdel(this.key(room), identity);
  }

  async clear(room: string): Promise<void> {
    await this.redis.cmd.del(this.key(room));
  }

  async participants(room: string): Promise<Participant[]> {
    return (await this.participantsOf([room])).get(room) ?? [];
  }

  async participantsOf(rooms: readonly string[]): Promise<Map<string, Participant[]>> {
    const out = new Map<string, Participant[]>();
    if (!rooms.length) return out;
    const pipe = this.redis.cmd.pipeline();
    for (const r of rooms) pipe.hgetall(this.key(r));
    const results = (await pipe.exec()) ?? [];
    rooms.forEach((room, i) => {
      const [err, hash] = results[i] ?? [null, {}];
      if (err) throw err;
      const people: { seq: number; p: Participant }[] = [];
      for (const text of Object.values((hash ?? {}) as Record<string, string>)) {
        // What another instance wrote is data from outside this process: checked like any input.
        try {
          const v = JSON.parse(text) as { seq?: unknown; p?: unknown };
          const p = Participant.safeParse(v.p);
          if (p.success && typeof v.seq === 'number') people.push({ seq: v.seq, p: p.data });
        } catch {
          // an unreadable entry is skipped
        }
      }
      out.set(
        room,
        people.sort((a, b) => a.seq - b.seq).map((x) => x.p),
      );
    });
    return out;
  }

  async userIds(room: string): Promise<Set<string>> {
    return userIdsOf(await this.participants(room));
  }
}
