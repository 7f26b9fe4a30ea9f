// Host on this computer (the team server inside the app) and auto-update.
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lanAddresses, type TeamServerModule } from '@main/local-host';
import type { UpdaterLike } from '@main/updater';
import { IDLE_CALL_STATE } from '@contracts/desktop';
import { bootParley, until } from '../../support/electron-fake/boot';

function fakeServer() {
  const calls: Array<Parameters<TeamServerModule['startTeamServer']>[0]> = [];
  let closed = 0;
  const module: TeamServerModule = {
    startTeamServer: async (options) => {
      calls.push(options);
      return { url: `http://${options.host}:${options.port}`, close: async () => void (closed += 1) };
    },
  };
  return { module, calls, closed: () => closed };
}

const interfaces = () => ({
  lo: [{ address: '127.0.0.1', family: 'IPv4' as const, internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: null }],
  eth0: [
    { address: '192.168.1.20', family: 'IPv4' as const, internal: false, netmask: '255.255.255.0', mac: 'aa:bb:cc:dd:ee:ff', cidr: null },
    { address: 'fe80::1', family: 'IPv6' as const, internal: false, netmask: 'ffff::', mac: 'aa:bb:cc:dd:ee:ff', cidr: null, scopeid: 2 },
  ],
});

describe('host on this computer', () => {
  it('starts the team server on all interfaces, reports LAN URLs, and lets pages reach it', async () => {
    const server = fakeServer();
    const booted = await bootParley({ loadServer: async () => server.module, networkInterfaces: interfaces });
    const status = await booted.invoke('local-host:start');
    expect(status).toEqual({
      ok: true,
      value: { state: 'running', url: 'http://127.0.0.1:7800', lanUrls: ['http://192.168.1.20:7800'], error: null },
    });
    expect(server.calls).toEqual([
      {
        dataDir: `${booted.fake.app.userData}/local-host`,
        host: '0.0.0.0',
        port: 7800,
        livekitBinary: '/app/resources/livekit/livekit-server',
        webClientDir: expect.stringContaining('parley-renderer-'),
        sfuNodeIp: '192.168.1.20',
        publicUrl: 'http://192.168.1.20:7800',
      },
    ]);
    const csp = (await booted.fake.protocol.fetch('parley://app/index.html')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain('http://192.168.1.20:7800');
    expect(
      booted.main.webContents.sent.filter((m) => m.channel === 'local-host:status').map((m) => (m.payload as { state: string }).state),
    ).toEqual(['starting', 'running']);
    expect(booted.runtime.settings.get().localHost.enabled).toBe(true);

    await booted.invoke('local-host:stop');
    expect(server.closed()).toBe(1);
    expect(booted.runtime.settings.get().localHost.enabled).toBe(false);
  });

  it('a double start runs one server', async () => {
    const server = fakeServer();
    const booted = await bootParley({ loadServer: async () => server.module, networkInterfaces: interfaces });
    await Promise.all([booted.invoke('local-host:start'), booted.invoke('local-host:start')]);
    expect(server.calls).toHaveLength(1);
  });

  it('listens on loopback only when LAN visibility is off', async () => {
    const server = fakeServer();
    const booted = await bootParley({ loadServer: async () => server.module, networkInterfaces: interfaces });
    await booted.invoke('settings:update', { localHost: { enabled: false, port: 7900, lanVisible: false } });
    expect(await booted.invoke('local-host:start')).toMatchObject({
      value: { state: 'running', url: 'http://127.0.0.1:7900', lanUrls: [] },
    });
    expect(server.calls[0]?.host).toBe('127.0.0.1');
  });

  it('reports a build without the server, and a busy port, with codes', async () => {
    const missing = await bootParley();
    expect(await missing.invoke('local-host:start')).toMatchObject({
      value: { state: 'error', error: { code: 'LOCAL_HOST_UNAVAILABLE' } },
    });
    const busy = await bootParley({
      loadServer: async () => ({
        startTeamServer: async () => {
          throw Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
        },
      }),
    });
    expect(await busy.invoke('local-host:start')).toMatchObject({
      value: { state: 'error', error: { code: 'LOCAL_HOST_FAILED', message: 'Port 7800 is already in use.' } },
    });
  });

  it('starts at launch when it was left on', async () => {
    const server = fakeServer();
    const booted = await bootParley({
      loadServer: async () => server.module,
      beforeReady: (fake) => {
        // settings.json from a previous run
        writeFileSync(
          `${fake.app.userData}/settings.json`,
          JSON.stringify({ localHost: { enabled: true, port: 7801, lanVisible: false } }),
        );
      },
    });
    await until(() => booted.runtime.localHost.status().state === 'running', 'local host started at launch');
    expect(server.calls).toEqual([expect.objectContaining({ port: 7801, host: '127.0.0.1' })]);
  });

  it('lists only external IPv4 addresses', () => {
    expect(lanAddresses(interfaces())).toEqual(['192.168.1.20']);
  });
});

class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs = 0;
  async checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    this.emit('checking-for-update');
    return null;
  }
  quitAndInstall(): void {
    this.installs += 1;
  }
}

describe('updates', () => {
  it('are disabled in unpackaged builds', async () => {
    const updater = new FakeUpdater();
    const booted = await bootParley({ loadUpdater: async () => updater });
    expect(await booted.invoke('update:check')).toMatchObject({ value: { state: 'disabled' } });
    expect(updater.checks).toBe(0);
  });

  it('download in the background and install only outside a call', async () => {
    const updater = new FakeUpdater();
    const booted = await bootParley({
      loadUpdater: async () => updater,
      beforeReady: (fake) => {
        fake.app.isPackaged = true;
      },
    });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checks).toBe(1);
    expect(await booted.invoke('update:install')).toMatchObject({ ok: false, error: { code: 'UPDATE_UNAVAILABLE' } });
    updater.emit('update-available', { version: '0.2.0' });
    updater.emit('download-progress', { percent: 50 });
    updater.emit('update-downloaded', { version: '0.2.0' });
    const statuses = booted.main.webContents.sent.filter((m) => m.channel === 'update:status').map((m) => m.payload);
    expect(statuses.at(-1)).toEqual({ state: 'downloaded', version: '0.2.0', percent: 100, error: null });
    await booted.invoke('call:update-state', { ...IDLE_CALL_STATE, inCall: true });
    expect(await booted.invoke('update:install')).toMatchObject({ ok: false, error: { code: 'UPDATE_BUSY' } });
    await booted.invoke('call:update-state', IDLE_CALL_STATE);
    expect(await booted.invoke('update:install')).toEqual({ ok: true, value: null });
    expect(updater.installs).toBe(1);
  });
});
