// Auto-update through electron-updater from the generic feed in electron-builder.yml. Updates
// download in the background and install on quit, or on request when no call is running.
import type { UpdateStatus } from '@contracts/desktop';
import { ParleyError } from './errors';
import type { Logger } from './log';

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available' | 'update-not-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdaterDeps {
  updater: UpdaterLike | null;
  enabled(): boolean;
  inCall(): boolean;
  onStatus(status: UpdateStatus): void;
  log: Logger;
}

export interface Updater {
  status(): UpdateStatus;
  check(): Promise<UpdateStatus>;
  install(): void;
  /** Automatic updates were switched on or off in settings. */
  settingsChanged(): void;
}

export function createUpdater(deps: UpdaterDeps): Updater {
  const log = deps.log.child({ module: 'updater' });
  let status: UpdateStatus = { state: deps.updater && deps.enabled() ? 'idle' : 'disabled', version: null, percent: null, error: null };
  const set = (patch: Partial<UpdateStatus>): void => {
    status = { ...status, ...patch };
    deps.onStatus(status);
  };
  const updater = deps.updater;
  if (updater) {
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('checking-for-update', () => set({ state: 'checking', error: null }));
    updater.on('update-available', (info) => set({ state: 'downloading', version: info.version, percent: 0 }));
    updater.on('update-not-available', () => set({ state: 'not-available', percent: null }));
    updater.on('download-progress', (progress) => set({ state: 'downloading', percent: Math.max(0, Math.min(100, progress.percent)) }));
    updater.on('update-downloaded', (info) => set({ state: 'downloaded', version: info.version, percent: 100 }));
    updater.on('error', (error) => {
      log.warn('updater.error', { error });
      set({ state: 'error', error: { code: 'UPDATE_UNAVAILABLE', message: 'Could not check for updates.' } });
    });
  }
  return {
    status: () => status,
    async check() {
      if (!updater || !deps.enabled()) return status;
      try {
        await updater.checkForUpdates();
      } catch (error) {
        log.warn('updater.check_failed', { error });
      }
      return status;
    },
    settingsChanged() {
      const enabled = Boolean(updater) && deps.enabled();
      if (!enabled && status.state !== 'disabled') set({ state: 'disabled', percent: null, error: null });
      if (enabled && status.state === 'disabled') {
        set({ state: 'idle' });
        void this.check();
      }
    },
    install() {
      if (!updater || status.state !== 'downloaded') throw new ParleyError('UPDATE_UNAVAILABLE', 'No update is ready to install.');
      if (deps.inCall()) throw new ParleyError('UPDATE_BUSY', 'Leave the meeting before restarting to update.');
      updater.quitAndInstall(false, true);
    },
  };
}
