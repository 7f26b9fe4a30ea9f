import { createApiClient, type ApiClient } from '@contracts/api-client';
import type { Role, ServerEvent, User } from '@contracts/api';
import type { RunningTeamServer } from '@server/index';

export interface SignedIn {
  api: ApiClient;
  user: User;
  token: string;
  password: string;
}

export const PASSWORD = 'correct horse battery';

export function anonymous(server: Pick<RunningTeamServer, 'url'>): ApiClient {
  return createApiClient({ baseUrl: server.url });
}

/** Completes first-run setup with the server's setup code; returns the first admin, signed in. */
export async function setupAdmin(server: Pick<RunningTeamServer, 'url' | 'setupCode'>, username = 'admin'): Promise<SignedIn> {
  if (!server.setupCode) throw new Error('setup is already done on this server');
  const api = anonymous(server);
  const s = await api.setup({
    code: server.setupCode,
    username,
    password: PASSWORD,
    displayName: `${username[0]!.toUpperCase()}${username.slice(1)}`,
  });
  return { api, user: s.user, token: s.token, password: PASSWORD };
}

/** Invites and registers a user through the real API (the admin creates the invite). */
export async function addUser(
  server: Pick<RunningTeamServer, 'url'>,
  admin: SignedIn,
  username: string,
  role: Role = 'member',
): Promise<SignedIn> {
  const invite = await admin.api.createInvite({ role });
  const api = anonymous(server);
  const displayName = `${username[0]!.toUpperCase()}${username.slice(1)}`;
  const s = await api.register({ inviteCode: invite.code, username, password: PASSWORD, displayName });
  return { api, user: s.user, token: s.token, password: PASSWORD };
}

/** A second sign-in (another device) of an existing user. */
export async function signIn(server: Pick<RunningTeamServer, 'url'>, username: string, password = PASSWORD): Promise<SignedIn> {
  const api = anonymous(server);
  const s = await api.login({ username, password });
  return { api, user: s.user, token: s.token, password };
}

/** Polls check() until it returns a value (not undefined) or the deadline passes. For state the server exposes only by polling. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Collects a user's server events; waitFor() resolves on the first (past or future) match. */
export class EventRecorder {
  readonly events: ServerEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly close: () => void;

  constructor(api: ApiClient) {
    this.close = api.events(
      (e) => {
        this.events.push(e);
        for (const w of [...this.waiters]) w();
      },
      { reconnect: false },
    );
  }

  waitFor<T extends ServerEvent>(match: (e: ServerEvent) => e is T, what: string, timeoutMs?: number): Promise<T>;
  waitFor(match: (e: ServerEvent) => boolean, what: string, timeoutMs?: number): Promise<ServerEvent>;
  waitFor(match: (e: ServerEvent) => boolean, what: string, timeoutMs = 15_000): Promise<ServerEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.events.find(match);
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ${what} event within ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ') || 'nothing'}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  stop(): void {
    this.close();
  }
}

/** Resolves with the args of the first emission of event that satisfies match, or rejects at the deadline. */
export function nextEmission<A extends unknown[]>(
  emitter: { on(event: string, cb: (...args: A) => void): unknown; off(event: string, cb: (...args: A) => void): unknown },
  event: string,
  match: (...args: A) => boolean,
  timeoutMs = 15_000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const cb = (...args: A) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      emitter.off(event, cb);
      resolve(args);
    };
    const timer = setTimeout(() => {
      emitter.off(event, cb);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, cb);
  });
}
