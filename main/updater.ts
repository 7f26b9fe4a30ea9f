// Auto-update through electron-updater. The feed is not built in: it is the one a saved team
// server's operator set (UPDATE_FEED_URL, learned from GET /api/v1/server), and updates stay off
// until there is one. What installs is still checked against the build's own signature: Windows
// verifies the publisher in app-update.yml (electron-builder.yml sets it), macOS the Developer ID
// the app is signed with. Linux packages carry no signature electron-updater can check, so there
// an update feed would let whoever runs it install anything: updates stay off.
// Updates download in the background and install on quit, or on request when no call is running.
import { parse } from 'yaml';
import type { UpdateStatus } from '@contracts/desktop';
import { ParleyError } from './errors';
import type { Logger } from './log';

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available' | 'update-not-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What main/index.ts could load: an updater, or why this build has none. */
export type LoadedUpdater = { updater: UpdaterLike } | { unavailable: 'unpackaged' | 'unsigned-build' };

/**
 * Whether an app-update.yml names a publisher to verify Windows updates against (electron-builder
 * writes `publisherName`, or `verifyUpdateCodeSignature: false` when told not to check).
 */
export function verifiesUpdatePublisher(appUpdateYml: string): boolean {
  let config: unknown;
  try {
    config = parse(appUpdateYml);
  } catch {
    return false;
  }
  if (typeof config !== 'object' || config === null) return false;
  const { publisherName, verifyUpdateCodeSignature } = config as Record<string, unknown>;
  if (verifyUpdateCodeSignature === false) return false;
  const names = Array.isArray(publisherName) ? publisherName : [publisherName];
  return names.some((name) => typeof name === 'string' && name.trim() !== '');
}

export type UpdateFeed = NonNullable<UpdateStatus['feed']>;

export interface UpdaterDeps {
  loaded: LoadedUpdater;
  platform: NodeJS.Platform;
  /** "Download updates by themselves" in Settings. */
  automatic(): boolean;
  feed(): UpdateFeed | null;
  inCall(): boolean;
  onStatus(status: UpdateStatus): void;
  log: Logger;
}

export interface Updater {
  status(): UpdateStatus;
  check(): Promise<UpdateStatus>;
  install(): void;
  /** Settings or the learned feed changed: switch on, off, or to another feed. */
  settingsChanged(): void;
}

type DisabledReason = NonNullable<UpdateStatus['disabledReason']>;

export function createUpdater(deps: UpdaterDeps): Updater {
  const log = deps.log.child({ module: 'updater' });
  const updater = 'updater' in deps.loaded ? deps.loaded.updater : null;
  const unavailable = 'unavailable' in deps.loaded ? deps.loaded.unavailable : null;

  const disabledReason = (): DisabledReason | null => {
    if (unavailable) return unavailable;
    if (deps.platform === 'linux') return 'unverifiable-platform';
    if (!deps.automatic()) return 'settings';
    if (!deps.feed()) return 'no-feed';
    return null;
  };

  let feedInUse: string | null = null;
  let status: UpdateStatus = {
    state: 'disabled',
    version: null,
    percent: null,
    error: null,
    feed: deps.feed(),
    disabledReason: disabledReason(),
  };
  const set = (patch: Partial<UpdateStatus>): void => {
    status = { ...status, ...patch };
    deps.onStatus(status);
  };
  /** Points electron-updater at the current feed; false while updates are off. */
  const useFeed = (): boolean => {
    const feed = deps.feed();
    if (!updater || disabledReason() !== null || !feed) return false;
    if (feed.url !== feedInUse) {
      updater.setFeedURL({ provider: 'generic', url: feed.url });
      feedInUse = feed.url;
      log.info('updater.feed', { feed: feed.url, server: feed.server });
    }
    return true;
  };

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
  if (useFeed()) status = { ...status, state: 'idle' };

  return {
    status: () => status,
    async check() {
      if (!updater || !useFeed()) return status;
      try {
        await updater.checkForUpdates();
      } catch (error) {
        log.warn('updater.check_failed', { error });
      }
      return status;
    },
    settingsChanged() {
      const previousFeed = feedInUse;
      const reason = disabledReason();
      const feed = deps.feed();
      if (reason !== null) {
        if (status.state !== 'disabled' || status.disabledReason !== reason || status.feed?.url !== feed?.url) {
          set({ state: 'disabled', percent: null, error: null, feed, disabledReason: reason });
        }
        return;
      }
      const enabling = status.state === 'disabled';
      useFeed();
      if (enabling || feedInUse !== previousFeed) {
        set({ state: 'idle', feed, disabledReason: null });
        void this.check();
      } else if (status.feed?.url !== feed?.url || status.feed?.server !== feed?.server) set({ feed });
    },
    install() {
      if (!updater || status.state !== 'downloaded') throw new ParleyError('UPDATE_UNAVAILABLE', 'No update is ready to install.');
      if (deps.inCall()) throw new ParleyError('UPDATE_BUSY', 'Leave the meeting before restarting to update.');
      updater.quitAndInstall(false, true);
    },
  };
}
