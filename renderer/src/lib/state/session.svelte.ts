// Sign-in: which team server, who is signed in there, the typed API client and the one event stream.
// Sessions are remembered per server (storage.ts `sessions`): moving to another server leaves every
// other server's session as it was. Screens are AppState's business.
import type { ServerInfo, User } from '@contracts/api';
import { apiClient, type ApiClient } from '../api/client';
import { ServerEventStream } from '../api/event-stream';
import { desktop } from '../desktop';
import { servedByTeamServer, takeEarlyServerInfo } from '../early';
import { serverKey, sessions } from '../storage';

export class Session {
  serverUrl = $state<string | null>(null);
  server = $state.raw<ServerInfo | null>(null);
  user = $state.raw<User | null>(null);
  api: ApiClient | null = null;
  events: ServerEventStream | null = null;

  /** Where to connect first: this origin in a browser, else the last server shown, if still saved. */
  async initial(): Promise<{ url: string | null; token: string | null }> {
    let url: string | null;
    if (servedByTeamServer()) url = location.origin;
    else {
      const saved = await savedServers();
      const last = sessions.lastServer();
      url = last && saved.includes(last) ? last : (saved[0] ?? null);
    }
    return { url, token: url ? sessions.token(url) : null };
  }

  /** Talks to a team server; throws when it cannot be reached. The first open reuses early.ts's request. */
  async open(url: string, token: string | null): Promise<ServerInfo> {
    const serverUrl = url.replace(/\/+$/, '');
    const api = apiClient(serverUrl, token);
    const info = await (takeEarlyServerInfo(serverUrl) ?? api.server());
    this.#leave();
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

  /** Remembers the token for this server and opens the event stream; `onExpired` runs when the server says 401. */
  signedIn(token: string, onExpired: () => void): void {
    if (!this.api || !this.serverUrl) return;
    sessions.setToken(this.serverUrl, token);
    this.rememberServer();
    this.events?.stop();
    this.events = new ServerEventStream(this.api);
    this.events.start(onExpired);
  }

  /** This server is the one to open next time; nobody's session changes. */
  rememberServer(): void {
    if (this.serverUrl) sessions.setLastServer(this.serverUrl);
  }

  /** Signs out of this server only. */
  async signOut(): Promise<void> {
    this.events?.stop();
    this.events = null;
    await this.api?.logout().catch(() => undefined);
    if (this.serverUrl) sessions.setToken(this.serverUrl, null);
    this.user = null;
  }

  /** Desktop only: another team server is about to be picked. This server's session stays for later. */
  forget(): void {
    this.#leave();
  }

  #leave(): void {
    this.events?.stop();
    this.events = null;
    this.user = null;
  }
}

/** In the desktop app, the team servers saved in settings, by origin (the one `npm start` launched needs no typing). */
export async function savedServers(): Promise<string[]> {
  if (!desktop) return [];
  try {
    return (await desktop.settings.get()).teamServers.flatMap((server) => serverKey(server.url) ?? []);
  } catch {
    return [];
  }
}
