// Auto-update: off until a saved team server's operator offers a feed, never from a built-in one,
// never where the update's signature cannot be checked; and the install flow once one is there.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IDLE_CALL_STATE, type TeamServer, type UpdateStatus } from '@contracts/desktop';
import { verifiesUpdatePublisher, type UpdaterLike } from '@main/updater';
import { answerServerInfo, bootParley, LINUX_X11, MACOS_15, until, WINDOWS } from '../../support/electron-fake/boot';
import type { PlatformFacts } from '@main/display-media/platform';

class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feeds: string[] = [];
  checks = 0;
  installs = 0;
  setFeedURL(options: { provider: 'generic'; url: string }): void {
    this.feeds.push(`${options.provider} ${options.url}`);
  }
  async checkForUpdates(): Promise<unknown> {
    // electron-updater without a feed would read the built-in placeholder: this must never happen.
    if (this.feeds.length === 0) throw new Error('checked without a feed from a team server');
    this.checks += 1;
    this.emit('checking-for-update');
    return null;
  }
  quitAndInstall(): void {
    this.installs += 1;
  }
}

const TEAM: TeamServer = { id: 'team', name: 'Acme', url: 'https://meet.acme.test' };
const FEED = 'https://downloads.acme.test/parley';

async function packaged(options: { platform?: PlatformFacts; updateFeed?: string | null; servers?: TeamServer[] } = {}) {
  const updater = new FakeUpdater();
  const booted = await bootParley({
    platform: options.platform ?? WINDOWS,
    teamServers: options.servers ?? [TEAM],
    loadUpdater: async () => ({ updater }),
    beforeReady: (fake) => {
      fake.app.isPackaged = true;
      answerServerInfo(fake, {
        [new URL(TEAM.url).origin]: {
          livekitUrl: 'wss://sfu.acme.test',
          ...(options.updateFeed ? { updateFeed: options.updateFeed } : {}),
        },
      });
    },
  });
  const status = async (): Promise<UpdateStatus> => ((await booted.invoke('update:get-status')) as { value: UpdateStatus }).value;
  return { booted, updater, status };
}

describe('updates', () => {
  it('are disabled in unpackaged builds', async () => {
    const updater = new FakeUpdater();
    const booted = await bootParley({ loadUpdater: async () => ({ updater }) });
    expect(await booted.invoke('update:check')).toMatchObject({ value: { state: 'disabled', disabledReason: 'unpackaged' } });
    expect(updater.checks).toBe(0);
  });

  it('stay off while no saved team server offers a feed, and say so', async () => {
    const { booted, updater, status } = await packaged({ updateFeed: null });
    expect(await status()).toMatchObject({ state: 'disabled', disabledReason: 'no-feed', feed: null });
    expect(await booted.invoke('update:check')).toMatchObject({ value: { state: 'disabled' } });
    expect(updater.feeds).toEqual([]);
    expect(updater.checks).toBe(0);
  });

  it("come from the feed the team server's operator set, and from nowhere else", async () => {
    const { updater, status } = await packaged({ updateFeed: FEED });
    await until(() => updater.checks === 1, 'the first check');
    expect(updater.feeds).toEqual([`generic ${FEED}`]);
    expect(await status()).toMatchObject({ feed: { url: FEED, server: 'https://meet.acme.test' }, disabledReason: null });
    expect(updater.autoDownload).toBe(true);
  });

  it('macOS updates the same way (Squirrel.Mac checks the Developer ID)', async () => {
    const { updater } = await packaged({ platform: MACOS_15, updateFeed: FEED });
    await until(() => updater.checks === 1, 'the first check');
    expect(updater.feeds).toEqual([`generic ${FEED}`]);
  });

  it('stay off on Linux, where nothing checks who signed an update, even with a feed', async () => {
    const { booted, updater, status } = await packaged({ platform: LINUX_X11, updateFeed: FEED });
    await booted.invoke('update:check');
    expect(await status()).toMatchObject({ state: 'disabled', disabledReason: 'unverifiable-platform' });
    expect(updater.checks).toBe(0);
    expect(updater.feeds).toEqual([]);
  });

  it('stay off in a Windows build with no publisher to verify against', async () => {
    const booted = await bootParley({
      platform: WINDOWS,
      loadUpdater: async () => ({ unavailable: 'unsigned-build' }),
      beforeReady: (fake) => {
        fake.app.isPackaged = true;
      },
    });
    expect(await booted.invoke('update:get-status')).toMatchObject({ value: { state: 'disabled', disabledReason: 'unsigned-build' } });
  });

  it('follow the feed when a server starts offering one, and the switch in Settings', async () => {
    const { booted, updater, status } = await packaged({ updateFeed: null });
    expect((await status()).disabledReason).toBe('no-feed');
    // The operator sets UPDATE_FEED_URL; the app learns it the next time it asks the server.
    answerServerInfo(booted.fake, { 'https://meet.acme.test': { livekitUrl: 'wss://sfu.acme.test', updateFeed: FEED } });
    expect(await booted.invoke('servers:sync', { url: TEAM.url })).toMatchObject({ ok: true });
    await until(() => updater.checks === 1, 'a check from the new feed');
    expect(updater.feeds).toEqual([`generic ${FEED}`]);
    await booted.invoke('settings:update', { updates: { automatic: false } });
    expect(await status()).toMatchObject({ state: 'disabled', disabledReason: 'settings', feed: { url: FEED } });
    expect(await booted.invoke('update:check')).toMatchObject({ value: { state: 'disabled' } });
    expect(updater.checks).toBe(1);
    // Removing the server removes its feed.
    await booted.invoke('settings:update', { updates: { automatic: true }, teamServers: [] });
    expect(await status()).toMatchObject({ state: 'disabled', disabledReason: 'no-feed', feed: null });
  });

  it('ignore a feed that is not https', async () => {
    const { status, updater } = await packaged({ updateFeed: 'http://downloads.acme.test/parley' });
    expect(await status()).toMatchObject({ disabledReason: 'no-feed' });
    expect(updater.feeds).toEqual([]);
  });

  it('download in the background and install only outside a call', async () => {
    const { booted, updater } = await packaged({ updateFeed: FEED });
    expect(updater.autoInstallOnAppQuit).toBe(true);
    await until(() => updater.checks === 1, 'the first check');
    expect(await booted.invoke('update:install')).toMatchObject({ ok: false, error: { code: 'UPDATE_UNAVAILABLE' } });
    updater.emit('update-available', { version: '0.2.0' });
    updater.emit('download-progress', { percent: 50 });
    updater.emit('update-downloaded', { version: '0.2.0' });
    const statuses = booted.main.webContents.sent.filter((m) => m.channel === 'update:status').map((m) => m.payload);
    expect(statuses.at(-1)).toMatchObject({ state: 'downloaded', version: '0.2.0', percent: 100, error: null });
    await booted.invoke('call:update-state', { ...IDLE_CALL_STATE, inCall: true });
    expect(await booted.invoke('update:install')).toMatchObject({ ok: false, error: { code: 'UPDATE_BUSY' } });
    await booted.invoke('call:update-state', IDLE_CALL_STATE);
    expect(await booted.invoke('update:install')).toEqual({ ok: true, value: null });
    expect(updater.installs).toBe(1);
  });
});

describe("a Windows build's app-update.yml", () => {
  it('verifies updates only when it names a publisher', () => {
    // What electron-builder writes with win.signtoolOptions.publisherName set, and without.
    expect(
      verifiesUpdatePublisher('provider: generic\nurl: https://x\npublisherName:\n  - Parley\nupdaterCacheDirName: parley-updater\n'),
    ).toBe(true);
    expect(verifiesUpdatePublisher('provider: generic\nurl: https://x\nupdaterCacheDirName: parley-updater\n')).toBe(false);
    expect(verifiesUpdatePublisher('provider: generic\npublisherName:\n  - Parley\nverifyUpdateCodeSignature: false\n')).toBe(false);
    expect(verifiesUpdatePublisher('publisherName: []\n')).toBe(false);
    expect(verifiesUpdatePublisher('')).toBe(false);
    expect(verifiesUpdatePublisher(': : not yaml [')).toBe(false);
  });
});
