// Sign-in: which team server, who is signed in there, the typed API client and the one event stream.
// The session (server and token) is remembered between visits; screens are AppState's business.
import type { ServerInfo, User } from '@contracts/api';
import { apiClient, type ApiClient } from '../api/client';
import { ServerEventStream } from '../api/event-stream';
import { desktop } from '../desktop';
import { servedByTeamServer, takeEarlyServerInfo } from '../early';
import { KEYS, load, remove, save, SessionSchema } from '../storage';

export class Session {
  serverUrl = $state<string | null>(null);
  server = $state.raw<ServerInfo | null>(null);
  user = $state.raw<User | null>(null);
  api: ApiClient | null = null;
  events: ServerEventStream | null = null;

  /** Where to connect first: this origin in a browser, else the remembered or a saved server. */
  async initial(): Promise<{ url: string | null; token: string | null }> {
    const stored = load(KEYS.session, SessionSchema, { serverUrl: '', token: null });
    const url = servedByTeamServer() ? location.origin : stored.serverUrl || (await firstSavedServer());
    return { url, token: url && stored.serverUrl === url ? stored.token : null };
  }

  /** Talks to a team server; throws when it cannot be reached. The first open reuses early.ts's request. */
  async open(url: string, token: string | null): Promise<ServerInfo> {
    const serverUrl = url.replace(/\/+$/, '');
    const api = apiClient(serverUrl, token);
    const info = await (takeEarlyServerInfo(serverUrl) ?? api.server());
    this.api = api;
    this.server = info;
    this.serverUrl = serverUrl;
    return info;
  }

  /** A remembered token: true when it still signs someone in. */
  async resume(): Promise<boolean> {
    if (!this.api) return false;
    try {
      this.user = await this.api.me();
      return true;
    } catch {
      this.api.setToken(undefined);
      return false;
    }
  }

  /** Sign-in, registration or setup; throws the API's error. */
  async authenticate(run: (api: ApiClient) => Promise<{ token: string; user: User }>): Promise<string> {
    if (!this.api) throw new Error('No team server is open.');
    const session = await run(this.api);
    this.user = session.user;
    return session.token;
  }

  /** Remembers the token and opens the event stream; `onExpired` runs when the server says 401. */
  signedIn(token: string, onExpired: () => void): void {
    if (!this.api || !this.serverUrl) return;
    save(KEYS.session, { serverUrl: this.serverUrl, token });
    this.events?.stop();
    this.events = new ServerEventStream(this.api);
    this.events.start(onExpired);
  }

  /** Remembers the server without a token (nobody signed in there yet). */
  rememberServer(): void {
    if (this.serverUrl) save(KEYS.session, { serverUrl: this.serverUrl, token: null });
  }

  async signOut(): Promise<void> {
    this.events?.stop();
    this.events = null;
    await this.api?.logout().catch(() => undefined);
    this.user = null;
    this.rememberServer();
  }

  /** Desktop only: another team server is about to be picked. */
  forget(): void {
    this.events?.stop();
    this.events = null;
    remove(KEYS.session);
    this.user = null;
  }
}

/** In the desktop app, a team server saved in settings (e.g. the one `npm start` launched) needs no typing. */
async function firstSavedServer(): Promise<string | null> {
  if (!desktop) return null;
  try {
    return (await desktop.settings.get()).teamServers[0]?.url ?? null;
  } catch {
    return null;
  }
}
