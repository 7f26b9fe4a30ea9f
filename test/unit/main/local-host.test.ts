// Host on this computer (the team server inside the app). Updates: updates.test.ts.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { lanAddresses, type TeamServerModule } from '@main/local-host';
import { spkiPin } from '@main/certificate-pins';
import { freeTcpPort } from '@server/lib/free-port';
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

// 127.0.0.2 stands in for a LAN address: a real interface address this test may listen on.
const loopbackLan = () => ({
  lo: [{ address: '127.0.0.1', family: 'IPv4' as const, internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: null }],
  lan0: [{ address: '127.0.0.2', family: 'IPv4' as const, internal: false, netmask: '255.0.0.0', mac: 'aa:bb:cc:dd:ee:01', cidr: null }],
});

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A stand-in team server and SFU that really listen on loopback, so the TLS fronts have something to carry. */
async function realLanServer() {
  const calls: Array<Parameters<TeamServerModule['startTeamServer']>[0]> = [];
  const open: Server[] = [];
  const module: TeamServerModule = {
    startTeamServer: async (options) => {
      calls.push(options);
      const team = createServer((_req, res) => res.end('team server'));
      const sfu = createServer((_req, res) => res.end('sfu'));
      open.push(team, sfu);
      await listen(team, options.port);
      const sfuPort = await listen(sfu, 0);
      return {
        url: `http://127.0.0.1:${options.port}`,
        sfu: { ports: { http: sfuPort } },
        close: async () => {
          await Promise.all([team, sfu].map((server) => new Promise((resolve) => server.close(resolve))));
        },
      };
    },
  };
  return { module, calls, close: async () => Promise.all(open.map((server) => new Promise((resolve) => server.close(resolve)))) };
}

function httpsGet(url: string): Promise<{ body: string; pin: string }> {
  return new Promise((resolve, reject) => {
    // Pinned, not CA-verified: exactly what the desktop app does for a LAN host.
    const req = request(url, { rejectUnauthorized: false, agent: false }, (res) => {
      const socket = res.socket as TLSSocket;
      const pin = spkiPin(socket.getPeerX509Certificate()?.toString() ?? '');
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ body, pin }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('host on this computer', () => {
  it('LAN: the team server stays on loopback; TLS fronts on the LAN address carry it and the SFU, with a pinned certificate', async () => {
    const lan = await realLanServer();
    const port = await freeTcpPort('127.0.0.1');
    const booted = await bootParley({ loadServer: async () => lan.module, networkInterfaces: loopbackLan });
    await booted.invoke('settings:update', { localHost: { enabled: false, port, lanVisible: true, lanAddress: null } });
    const result = await booted.invoke('local-host:start');
    expect(result).toMatchObject({
      ok: true,
      value: { state: 'running', url: `http://127.0.0.1:${port}`, lanUrls: [`https://127.0.0.2:${port}`], connected: [], error: null },
    });
    const status = (result as { value: { pin: string; fingerprint: string } }).value;
    expect(lan.calls[0]).toMatchObject({
      host: '127.0.0.1',
      port,
      sfuHost: '0.0.0.0',
      publicUrl: `https://127.0.0.2:${port}`,
      livekitPublicUrl: `wss://127.0.0.2:${port + 1}`,
    });
    // A client on the LAN: TLS with this computer's own certificate, whose pin is what links carry.
    const team = await httpsGet(`https://127.0.0.2:${port}/`);
    expect(team).toMatchObject({ body: 'team server', pin: status.pin });
    expect(await httpsGet(`https://127.0.0.2:${port + 1}/`)).toMatchObject({ body: 'sfu', pin: status.pin });
    expect(status.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // The app trusts its own certificate there, and nothing else.
    expect(booted.runtime.localHost.pins()).toEqual([{ url: `https://127.0.0.2:${port}`, pin: status.pin }]);
    const csp = (await booted.fake.protocol.fetch('parley://app/index.html')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`http://127.0.0.1:${port}`);

    await booted.invoke('local-host:stop');
    await expect(httpsGet(`https://127.0.0.2:${port}/`)).rejects.toThrow();
    // The key stays: a restart serves the same pin, so links already shared keep working.
    const again = await booted.invoke('local-host:start');
    expect((again as { value: { pin: string } }).value.pin).toBe(status.pin);
    await booted.invoke('local-host:stop');
    await lan.close();
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
    await booted.invoke('settings:update', { localHost: { enabled: false, port: 7900, lanVisible: false, lanAddress: null } });
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
      value: { state: 'error', error: { code: 'LOCAL_HOST_FAILED', message: 'Port 7800 or 7801 is already in use.' } },
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
