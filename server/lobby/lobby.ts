import type { LobbyEntry } from '@contracts/api';
import { randomId, randomSecret, safeEqual, sha256 } from '../lib/crypto';

export type LobbyStatus = 'waiting' | 'admitted' | 'denied' | 'expired';

/**
 * Guests waiting for a host. The guest holds `<id>.<secret>` (the ticket); hosts see only the id.
 * In memory for one instance (Lobby, below); in Redis when several instances share it, so a guest
 * may knock on one and be admitted from another, and waits survive restarts (lobby-redis.ts).
 */
export interface LobbyStore {
  /** A new waiting entry, or undefined when the room's lobby is full. */
  add(room: string, displayName: string, now?: number): Promise<{ ticket: string; entry: LobbyEntry } | undefined>;
  waiting(room: string): Promise<LobbyEntry[]>;
  /** Guests waiting in every room (a metric). */
  count(): Promise<number>;
  /** The entry a guest's ticket names, if the ticket is genuine. */
  byTicket(ticket: string): Promise<(LobbyEntry & { status: LobbyStatus }) | undefined>;
  /** A host's decision; false when id is not waiting in room. */
  decide(room: string, id: string, outcome: 'admitted' | 'denied', now?: number): Promise<boolean>;
  /** Denies everyone waiting in room (meeting ended, room deleted). */
  denyAll(room: string, now?: number): Promise<LobbyEntry[]>;
  /** Resolves when the entry is decided (on any instance), or after timeoutMs / on abort. */
  waitForDecision(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Forgets a decided entry once the guest has read the decision. */
  forget(id: string): Promise<void>;
  close(): void;
}

interface Entry {
  id: string;
  secretHash: string;
  room: string;
  displayName: string;
  createdAt: number;
  status: LobbyStatus;
  /** When a waiting entry expires, or a decided one is forgotten. */
  until: number;
  waiters: Set<() => void>;
}

export interface LobbyOptions {
  /** How long a guest may wait for a host. */
  waitMs?: number;
  /** How long a decision stays readable by the guest. */
  keepDecisionMs?: number;
  /** Waiting guests per room, so one link cannot flood a lobby. */
  maxPerRoom?: number;
}

/** The one-instance lobby, in memory: a wait lasts minutes and a restart only means the guest asks again. */
export class Lobby implements LobbyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly waitMs: number;
  private readonly keepDecisionMs: number;
  private readonly maxPerRoom: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    opts: LobbyOptions = {},
    private readonly onExpire: (entry: LobbyEntry) => void = () => undefined,
  ) {
    this.waitMs = opts.waitMs ?? 15 * 60_000;
    this.keepDecisionMs = opts.keepDecisionMs ?? 5 * 60_000;
    this.maxPerRoom = opts.maxPerRoom ?? 50;
    this.sweeper = setInterval(() => this.sweep(), 15_000);
    this.sweeper.unref();
  }

  /** A new waiting entry, or undefined when the room's lobby is full. */
  async add(room: string, displayName: string, now = Date.now()): Promise<{ ticket: string; entry: LobbyEntry } | undefined> {
    if (this.waitingNow(room).length >= this.maxPerRoom) return undefined;
    const id = randomId();
    const secret = randomSecret();
    const e: Entry = {
      id,
      secretHash: sha256(secret),
      room,
      displayName,
      createdAt: now,
      status: 'waiting',
      until: now + this.waitMs,
      waiters: new Set(),
    };
    this.entries.set(id, e);
    return { ticket: `${id}.${secret}`, entry: toPublic(e) };
  }

  async waiting(room: string): Promise<LobbyEntry[]> {
    return this.waitingNow(room);
  }

  private waitingNow(room: string): LobbyEntry[] {
    return [...this.entries.values()].filter((e) => e.room === room && e.status === 'waiting').map(toPublic);
  }

  async count(): Promise<number> {
    let n = 0;
    for (const e of this.entries.values()) if (e.status === 'waiting') n++;
    return n;
  }

  async byTicket(ticket: string): Promise<(LobbyEntry & { status: LobbyStatus }) | undefined> {
    const [id, secret] = ticket.split('.');
    const e = id ? this.entries.get(id) : undefined;
    if (!e || !secret || !safeEqual(e.secretHash, sha256(secret))) return undefined;
    return { ...toPublic(e), status: e.status };
  }

  async decide(room: string, id: string, outcome: 'admitted' | 'denied', now = Date.now()): Promise<boolean> {
    const e = this.entries.get(id);
    if (!e || e.room !== room || e.status !== 'waiting') return false;
    this.settle(e, outcome, now);
    return true;
  }

  async denyAll(room: string, now = Date.now()): Promise<LobbyEntry[]> {
    const denied: LobbyEntry[] = [];
    for (const e of this.entries.values()) {
      if (e.room === room && e.status === 'waiting') {
        this.settle(e, 'denied', now);
        denied.push(toPublic(e));
      }
    }
    return denied;
  }

  waitForDecision(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const e = this.entries.get(id);
    if (!e || e.status !== 'waiting' || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        e.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      e.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async forget(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (e && e.status !== 'waiting') this.entries.delete(id);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const e of this.entries.values()) for (const w of [...e.waiters]) w();
    this.entries.clear();
  }

  private settle(e: Entry, status: LobbyStatus, now: number): void {
    e.status = status;
    e.until = now + this.keepDecisionMs;
    for (const w of [...e.waiters]) w();
  }

  private sweep(now = Date.now()): void {
    for (const e of [...this.entries.values()]) {
      if (e.until > now) continue;
      if (e.status === 'waiting') {
        this.settle(e, 'expired', now);
        this.onExpire(toPublic(e));
      } else {
        this.entries.delete(e.id);
      }
    }
  }
}

function toPublic(e: Entry): LobbyEntry {
  return { id: e.id, room: e.room, displayName: e.displayName, createdAt: new Date(e.createdAt).toISOString() };
}
