// The signed-in person's own account: their password and the devices signed in with it. The server
// checks the current password and only ever lists or signs out the caller's own sessions.
import type { SessionInfo } from '@contracts/api';
import type { ApiClient } from '../api/client';
import { ApiCallState } from './api-call-state.svelte';

export type AccountApi = Pick<ApiClient, 'listSessions' | 'revokeSession' | 'changePassword'>;

export class AccountState extends ApiCallState {
  sessions = $state.raw<SessionInfo[]>([]);
  /** Set after a successful password change, for the confirmation line. */
  passwordChanged = $state(false);

  readonly #api: AccountApi;

  constructor(api: AccountApi, serverUrl: string) {
    super(serverUrl);
    this.#api = api;
  }

  async loadSessions(): Promise<void> {
    const list = await this.run(() => this.#api.listSessions());
    if (list) this.sessions = list.sessions;
  }

  async signOutDevice(id: string): Promise<void> {
    const done = await this.run(async () => {
      await this.#api.revokeSession(id);
      return true;
    });
    if (done) this.sessions = this.sessions.filter((s) => s.id !== id);
  }

  /** True when changed; every other device is then signed out, so the list is read again. */
  async changePassword(currentPassword: string, newPassword: string): Promise<boolean> {
    this.passwordChanged = false;
    const done = await this.run(async () => {
      await this.#api.changePassword({ currentPassword, newPassword });
      return true;
    });
    if (!done) return false;
    this.passwordChanged = true;
    await this.loadSessions();
    return true;
  }
}

/** "Firefox on Linux", "Parley app on macOS": enough to tell one's devices apart. */
export function describeClient(userAgent: string): string {
  const ua = userAgent;
  const app = /Electron\//.test(ua)
    ? 'Parley app'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : '';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /iPhone|iPad/.test(ua)
          ? 'iOS'
          : /Linux|X11/.test(ua)
            ? 'Linux'
            : '';
  if (app && os) return `${app} on ${os}`;
  return app || os || (ua ? ua.slice(0, 40) : 'Unknown device');
}
