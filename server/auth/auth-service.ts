import type { SessionResponse } from '@contracts/api';
import type { Db } from '../db/database';
import { LocalGeneration, type Generation } from '../shared-state/generation';
import { SessionStore, type SessionRecord } from '../db/sessions';
import { publicUser, UserStore, type UserRecord } from '../db/users';
import { randomId, randomSecret, sha256 } from '../lib/crypto';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import { PrincipalCache } from './principal-cache';

export interface Principal {
  user: UserRecord;
  session: SessionRecord;
}

/** How long an authenticated principal is reused without reading the database (see PrincipalCache). */
const PRINCIPAL_CACHE_MS = 5_000;
const PRINCIPAL_CACHE_ENTRIES = 10_000;

export interface SessionLifetimes {
  /** A session unused for this long ends (sliding: each use moves the end forward). */
  idleMs: number;
  /** However much it is used, a session ends this long after sign-in. */
  maxMs: number;
}

/** What a new session records about the device that signed in (shown in the session list). */
export interface ClientInfo {
  client: string;
  address: string;
}

/**
 * A sliding expiry is written at most this often per session, so a busy client does not turn every
 * read into a write; the expiry it records is therefore up to this much shorter than idleMs.
 */
const TOUCH_EVERY_MS = 5 * 60_000;

/** Session tokens: opaque random strings, stored as SHA-256, expiring (sliding, capped), revocable. */
export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  private readonly principals = new PrincipalCache<Principal>(PRINCIPAL_CACHE_MS, PRINCIPAL_CACHE_ENTRIES);

  constructor(
    db: Db,
    private readonly lifetimes: SessionLifetimes,
    private readonly generation: Generation = new LocalGeneration(),
  ) {
    // Any revocation, prune or user change drops every cached principal, on every instance: rare
    // writes, simple and obviously complete invalidation.
    const invalidate = async () => {
      this.principals.clear();
      await this.generation.bump();
    };
    this.users = new UserStore(db, invalidate);
    this.sessions = new SessionStore(db, invalidate);
  }

  /** Call inside the transaction that creates or checks the user, so both land or neither does. */
  async createSession(user: UserRecord, now = Date.now(), client: ClientInfo = { client: '', address: '' }): Promise<SessionResponse> {
    const token = `pst_${randomSecret()}`;
    const maxExpiresAt = now + this.lifetimes.maxMs;
    const expiresAt = Math.min(now + this.lifetimes.idleMs, maxExpiresAt);
    await this.sessions.insert({ id: randomId(), userId: user.id, tokenHash: sha256(token), now, expiresAt, maxExpiresAt, ...client });
    return { token, expiresAt: new Date(expiresAt).toISOString(), user: publicUser(user) };
  }

  /** The principal behind a bearer token, or undefined for unknown, expired, revoked or disabled. */
  async authenticate(token: string, now = Date.now()): Promise<Principal | undefined> {
    if (!token.startsWith('pst_') || token.length > 128) return undefined;
    const hash = sha256(token);
    // Read before the rows, so a revocation racing this load leaves the entry already stale.
    const generation = await this.generation.current();
    const cached = generation === undefined ? undefined : this.principals.get(hash, now, generation);
    if (cached) return cached;
    let session = await this.sessions.active(hash, now);
    if (!session) return undefined;
    if (now - session.lastUsedAt >= TOUCH_EVERY_MS) {
      const expiresAt = Math.min(now + this.lifetimes.idleMs, session.maxExpiresAt);
      await this.sessions.touch(session.id, now, expiresAt);
      session = { ...session, lastUsedAt: now, expiresAt };
    }
    const user = await this.users.byId(session.userId);
    if (!user || user.disabled) return undefined;
    // Shared by every request of this session while cached: frozen so no handler can alter another's.
    const principal: Principal = Object.freeze({ user: Object.freeze(user), session: Object.freeze(session) });
    if (generation !== undefined) this.principals.set(hash, principal, now, generation);
    return principal;
  }

  /** The user when username and password match an enabled account; same timing either way. */
  async checkPassword(username: string, password: string): Promise<UserRecord | undefined> {
    const user = await this.users.byUsername(username);
    if (!user) {
      await verifyAgainstDummy(password);
      return undefined;
    }
    const ok = await verifyPassword(user.passwordHash, password);
    return ok && !user.disabled ? user : undefined;
  }
}

/** The `Authorization: Bearer <token>` value, if well-formed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer ([A-Za-z0-9_~.+/=-]{1,256})$/.exec(header);
  return m?.[1];
}
