import type { SessionResponse } from '../api/contract';
import type { Db } from '../db/database';
import { SessionStore, type SessionRecord } from '../db/sessions';
import { publicUser, UserStore, type UserRecord } from '../db/users';
import { randomId, randomSecret, sha256 } from '../lib/crypto';
import { verifyAgainstDummy, verifyPassword } from './passwords';

export interface Principal {
  user: UserRecord;
  session: SessionRecord;
}

/** Session tokens: opaque random strings, stored as SHA-256, expiring, revocable. */
export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;

  constructor(
    db: Db,
    private readonly sessionTtlMs: number,
  ) {
    this.users = new UserStore(db);
    this.sessions = new SessionStore(db);
  }

  /** Call inside the transaction that creates or checks the user, so both land or neither does. */
  createSession(user: UserRecord, now = Date.now()): SessionResponse {
    const token = `pst_${randomSecret()}`;
    const expiresAt = now + this.sessionTtlMs;
    this.sessions.insert({ id: randomId(), userId: user.id, tokenHash: sha256(token), now, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString(), user: publicUser(user) };
  }

  /** The principal behind a bearer token, or undefined for unknown, expired, revoked or disabled. */
  authenticate(token: string, now = Date.now()): Principal | undefined {
    if (!token.startsWith('pst_') || token.length > 128) return undefined;
    const session = this.sessions.active(sha256(token), now);
    if (!session) return undefined;
    const user = this.users.byId(session.userId);
    if (!user || user.disabled) return undefined;
    return { user, session };
  }

  /** The user when username and password match an enabled account; same timing either way. */
  async checkPassword(username: string, password: string): Promise<UserRecord | undefined> {
    const user = this.users.byUsername(username);
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
