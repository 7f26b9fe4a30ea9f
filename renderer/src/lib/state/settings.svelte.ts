// The desktop settings (team servers, devices, global shortcuts, notifications) as main stores them,
// read and written through the bridge. Main owns the file and validates every patch; this class only
// mirrors what main last said, so a change made by the tray or another window shows up here too.
import type { DesktopApi, Settings, SettingsPatch, ShortcutStatus } from '@contracts/desktop';
import { bridgeErrorCode } from '@contracts/desktop';

/** The part of `window.parley` settings needs; tests pass a fake. */
export type SettingsBridge = Pick<DesktopApi, 'settings' | 'shortcuts' | 'servers'>;

export class SettingsState {
  settings = $state.raw<Settings | null>(null);
  shortcutStatus = $state.raw<ShortcutStatus | null>(null);
  /** The last refused or failed save, in words. */
  error = $state<string | null>(null);
  saving = $state(false);

  readonly #bridge: SettingsBridge;

  constructor(bridge: SettingsBridge) {
    this.#bridge = bridge;
  }

  start(): () => void {
    const off = this.#bridge.settings.onChanged((s) => {
      this.settings = s;
      void this.#refreshShortcuts();
    });
    void this.#bridge.settings
      .get()
      .then((s) => (this.settings ??= s))
      .catch((err: unknown) => (this.error = describe(err)));
    void this.#refreshShortcuts();
    return off;
  }

  async #refreshShortcuts(): Promise<void> {
    try {
      this.shortcutStatus = await this.#bridge.shortcuts.getStatus();
    } catch {
      this.shortcutStatus = null;
    }
  }

  /** Sends whole sections (main replaces them); true when main accepted the patch. */
  async update(patch: SettingsPatch): Promise<boolean> {
    this.saving = true;
    this.error = null;
    try {
      this.settings = await this.#bridge.settings.update(patch);
      void this.#refreshShortcuts();
      return true;
    } catch (err) {
      this.error = describe(err);
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Main asks the person in its own dialog first; false when they said no or main refused. */
  async addServer(name: string, url: string): Promise<boolean> {
    this.saving = true;
    this.error = null;
    try {
      const trimmed = name.trim();
      await this.#bridge.servers.add({ from: 'typed', url: url.trim().replace(/\/+$/, ''), ...(trimmed ? { name: trimmed } : {}) });
      this.settings = await this.#bridge.settings.get();
      return true;
    } catch (err) {
      if (bridgeErrorCode(err) !== 'SERVER_DECLINED') this.error = describe(err);
      return false;
    } finally {
      this.saving = false;
    }
  }

  removeServer(id: string): Promise<boolean> {
    return this.update({ teamServers: (this.settings?.teamServers ?? []).filter((s) => s.id !== id) });
  }
}

function describe(err: unknown): string {
  const code = bridgeErrorCode(err);
  const message = (err instanceof Error ? err.message : String(err)).replace(/^.*?\[[A-Z_]+\]\s*/, '');
  if (code === 'SETTINGS_INVALID' || code === 'IPC_INVALID_PAYLOAD') return `Not saved: ${message || 'a value is not valid'}.`;
  return `Not saved: ${message || 'the app did not answer'}.`;
}
