import type { LobbyEntry } from '@contracts/api';
import { randomId, randomSecret, safeEqual, sha256 } from '../lib/crypto';
import type { SharedRedis } from '../shared-state/redis';
import type { LobbyOptions, LobbyStatus, LobbyStore } from './lobby';

/**
 * The lobby in Redis, for several instances: a guest knocks on one, a host on another admits them,
 * and the guest's long poll (on whichever instance it reached) wakes through pub/sub. Waits survive
 * restarts of every instance. Per entry a hash (room, name, status, the ticket secret's hash),
 * expiring by itself once decided and read or forgotten; per room a sorted set of who waits; one
 * sorted set of waiting deadlines, swept by every instance (a decision is one atomic script, so
 * only one instance reports each expiry).
 */
const ADD = `
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[2], 'room', ARGV[2], 'displayName', ARGV[3], 'createdAt', ARGV[4], 'status', 'waiting', 'secretHash', ARGV[5], 'until', ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[8])
return 1
`;

// KEYS[1] entry, KEYS[2] deadlines; ARGV: prefix, id, room ('' = any), status, until, ttl
const SETTLE = `
local e = redis.call('HMGET', KEYS[1], 'status', 'room')
if e[1] ~= 'waiting' then
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 0
end
if ARGV[3] ~= '' and e[2] ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[4], 'until', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('ZREM', ARGV[1] .. 'lobby:room:' .. e[2], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`;

const CHANNEL = 'lobby-decided';
const SWEEP_MS = 5_000;

interface Stored {
  room: string;
  displayName: string;
  createdAt: string;
  status: LobbyStatus;
  secretHash: string;
}

function toPublic(id: string, e: Pick<Stored, 'room' | 'displayName' | 'createdAt'>): LobbyEntry {
  return { id, room: e.room, displayName: e.displayName, createdAt: new Date(Number(e.createdAt)).toISOString() };
}

export class RedisLobby implements LobbyStore {
  private readonly waitMs: number;
  private readonly keepDecisionMs: number;
  private readonly maxPerRoom: number;
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly redis: SharedRedis,
    opts: LobbyOptions,
    private readonly onExpire: (entry: LobbyEntry) => void,
  ) {
    this.waitMs = opts.waitMs ?? 15 * 60_000;
    this.keepDecisionMs = opts.keepDecisionMs ?? 5 * 60_000;
    this.maxPerRoom = opts.maxPerRoom ?? 50;
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), SWEEP_MS);
    this.sweeper.unref();
  }

  static async open(
    redis: SharedRedis,
    opts: LobbyOptions = {},
    onExpire: (entry: LobbyEntry) => void = () => undefined,
  ): Promise<RedisLobby> {
    const lobby = new RedisLobby(redis, opts, onExpire);
    await redis.subscribe(CHANNEL, (id) => lobby.wake(id));
    return lobby;
  }

  private entryKey(id: string): string {
    return `${this.redis.prefix}lobby:e:${id}`;
  }
  private roomKey(room: string): string {
    return `${this.redis.prefix}lobby:room:${room}`;
  }
  private get deadlinesKey(): string {
    return `${this.redis.prefix}lobby:deadlines`;
  }

  async add(room: string, displayName: string, now = Date.now()): Promise<{ ticket: string; entry: LobbyEntry } | undefined> {
    const id = randomId();
    const secret = randomSecret();
    const until = now + this.waitMs;
    const ok = await this.redis.cmd.eval(
      ADD,
      3,
      this.roomKey(room),
      this.entryKey(id),
      this.deadlinesKey,
      this.maxPerRoom,
      room,
      displayName,
      now,
      sha256(secret),
      until,
      this.waitMs + this.keepDecisionMs + 60_000,
      id,
    );
    if (Number(ok) !== 1) return undefined;
    return { ticket: `${id}.${secret}`, entry: toPublic(id, { room, displayName, createdAt: String(now) }) };
  }

  private async read(ids: readonly string[]): Promise<(Stored | undefined)[]> {
    if (!ids.length) return [];
    const pipe = this.redis.cmd.pipeline();
    for (const id of ids) pipe.hgetall(this.entryKey(id));
    const results = (await pipe.exec()) ?? [];
    return ids.map((_, i) => {
      const [err, h] = results[i] ?? [null, null];
      if (err) throw err;
      const e = h as Partial<Stored> | null;
      return e?.room && e.status ? (e as Stored) : undefined;
    });
  }

  async waiting(room: string): Promise<LobbyEntry[]> {
    const ids = await this.redis.cmd.zrange(this.roomKey(room), '0', '-1');
    const entries = await this.read(ids);
    return ids.flatMap((id, i) => {
      const e = entries[i];
      return e && e.status === 'waiting' && e.room === room ? [toPublic(id, e)] : [];
    });
  }

  async count(): Promise<number> {
    return this.redis.cmd.zcard(this.deadlinesKey);
  }

  async byTicket(ticket: string): Promise<(LobbyEntry & { status: LobbyStatus }) | undefined> {
    const [id, secret] = ticket.split('.');
    if (!id || !secret) return undefined;
    const [e] = await this.read([id]);
    if (!e || !safeEqual(e.secretHash, sha256(secret))) return undefined;
    return { ...toPublic(id, e), status: e.status };
  }

  private async settle(id: string, room: string, status: LobbyStatus, now: number): Promise<boolean> {
    const done = await this.redis.cmd.eval(
      SETTLE,
      2,
      this.entryKey(id),
      this.deadlinesKey,
      this.redis.prefix,
      id,
      room,
      status,
      now + this.keepDecisionMs,
      this.keepDecisionMs,
    );
    if (Number(done) !== 1) return false;
    await this.redis.publish(CHANNEL, id);
    return true;
  }

  decide(room: string, id: string, outcome: 'admitted' | 'denied', now = Date.now()): Promise<boolean> {
    return this.settle(id, room, outcome, now);
  }

  async denyAll(room: string, now = Date.now()): Promise<LobbyEntry[]> {
    const denied: LobbyEntry[] = [];
    for (const entry of await this.waiting(room)) if (await this.settle(entry.id, room, 'denied', now)) denied.push(entry);
    return denied;
  }

  waitForDecision(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      const waiters = set;
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (!waiters.size) this.waiters.delete(id);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
      // Registered first, then checked: a decision landing in between still wakes this wait.
      void this.read([id]).then(
        ([e]) => {
          if (!e || e.status !== 'waiting') done();
        },
        () => done(),
      );
    });
  }

  async forget(id: string): Promise<void> {
    const [e] = await this.read([id]);
    if (e && e.status !== 'waiting') await this.redis.cmd.del(this.entryKey(id));
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w();
  }

  private wake(id: string): void {
    for (const w of [...(this.waiters.get(id) ?? [])]) w();
  }

  /** Expires waits past their deadline; each is settled by exactly one instance, which reports it. */
  async sweep(now = Date.now()): Promise<void> {
    const due = await this.redis.cmd.zrangebyscore(this.deadlinesKey, '-inf', now, 'LIMIT', 0, 100);
    for (const id of due) {
      const [e] = await this.read([id]);
      if (await this.settle(id, '', 'expired', now)) {
        if (e) this.onExpire(toPublic(id, e));
      }
    }
  }
}
