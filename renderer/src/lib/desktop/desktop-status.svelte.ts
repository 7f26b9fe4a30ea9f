// What the desktop settings show live: this app (version, what the platform can do), Host on this
// computer, updates, and macOS screen-recording access. Each mirrors what main last said.
import type { AppInfo, DesktopApi, LocalHostStatus, ScreenAccess, UpdateStatus } from '@contracts/desktop';
import { bridgeErrorCode } from '@contracts/desktop';

export type DesktopStatusBridge = Pick<DesktopApi, 'app' | 'localHost' | 'updates' | 'system'>;

export class DesktopStatus {
  info = $state.raw<AppInfo | null>(null);
  host = $state.raw<LocalHostStatus | null>(null);
  update = $state.raw<UpdateStatus | null>(null);
  screen = $state.raw<ScreenAccess | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  readonly #bridge: DesktopStatusBridge;

  constructor(bridge: DesktopStatusBridge) {
    this.#bridge = bridge;
  }

  start(): () => void {
    const offHost = this.#bridge.localHost.onStatus((status) => (this.host = status));
    const offUpdate = this.#bridge.updates.onStatus((status) => (this.update = status));
    void this.#bridge.app.getInfo().then((info) => {
      this.info = info;
      if (info.platform === 'darwin') void this.#bridge.system.getScreenAccess().then((access) => (this.screen = access));
    });
    void this.#bridge.localHost.getStatus().then((status) => (this.host ??= status));
    void this.#bridge.updates.getStatus().then((status) => (this.update ??= status));
    return () => {
      offHost();
      offUpdate();
    };
  }

  async #run<T>(action: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.error = null;
    try {
      return await action();
    } catch (err) {
      const code = bridgeErrorCode(err);
      this.error = (err instanceof Error ? err.message : String(err)).replace(/^.*?\[[A-Z_]+\]\s*/, '') || code || 'That did not work.';
      return null;
    } finally {
      this.busy = false;
    }
  }

  startHost = (): Promise<unknown> => this.#run(async () => (this.host = await this.#bridge.localHost.start()));
  stopHost = (): Promise<unknown> => this.#run(async () => (this.host = await this.#bridge.localHost.stop()));
  /** A changed LAN choice applies on a fresh start. */
  restartHost = (): Promise<unknown> =>
    this.#run(async () => {
      await this.#bridge.localHost.stop();
      this.host = await this.#bridge.localHost.start();
    });
  checkForUpdates = (): Promise<unknown> => this.#run(async () => (this.update = await this.#bridge.updates.check()));
  restartToUpdate = (): Promise<unknown> => this.#run(() => this.#bridge.updates.install());
  openInBrowser = (url: string): Promise<unknown> => this.#run(() => this.#bridge.app.openExternal(url));
  openScreenSettings = (): Promise<unknown> => this.#run(() => this.#bridge.system.openScreenSettings());
}

/** The link a teammate's Parley app opens: the server, and the pin of its certificate. */
export function desktopJoinLink(serverUrl: string, pin: string | null): string {
  return `parley://join/${encodeURIComponent(serverUrl)}${pin ? `?pin=${encodeURIComponent(pin)}` : ''}`;
}
