// "Host on this computer": runs the team server (with its embedded SFU) inside the desktop app for a
// team with no server. Loopback only unless the person lets the LAN in; then teammates reach it over
// TLS (main/lan/): https://<lan-ip>:<port> for the team server and wss://<lan-ip>:<port+1> for the
// SFU's signalling, both with the certificate this computer made, whose pin travels in the links.
// The server module is loaded lazily so the app starts as fast without it, and a build without it
// still runs (LOCAL_HOST_UNAVAILABLE).
import type { NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import type { LocalHostStatus, Settings } from '@contracts/desktop';
import type { CertificatePin } from './certificate-pins';
import { ParleyError, toBridgeError } from './errors';
import { lanCertificate, type LanCertificate } from './lan/certificate';
import { openTlsFront, type TlsFront } from './lan/tls-front';
import type { Logger } from './log';

export interface RunningTeamServer {
  url: string;
  /** The SFU URL the server hands its clients. */
  livekitUrl?: string;
  setupCode?: string;
  /** The embedded SFU, when the server started one. */
  sfu?: { ports: { http: number } };
  context?: { livekit: { participantsByRoom(): Promise<Map<string, Array<{ displayName: string }>>> } };
  close(): Promise<void>;
}

/** The part of server/index.ts's startTeamServer options the desktop app sets. */
export interface LocalTeamServerOptions {
  dataDir: string;
  host: string;
  port: number;
  /** The built web client, so teammates without the app can join from a browser. */
  webClientDir: string;
  /** Where the SFU binds: loopback, or every interface so LAN clients reach its media ports. */
  sfuHost?: string;
  /** What links and the CSP use when LAN clients reach the server through the TLS front. */
  publicUrl?: string;
  /** The SFU URL handed to clients: the TLS front of its signalling. */
  livekitPublicUrl?: string;
}

/** What server/index.ts exports. */
export interface TeamServerModule {
  startTeamServer(options: LocalTeamServerOptions): Promise<RunningTeamServer>;
}

export interface LocalHostDeps {
  loadServer(): Promise<TeamServerModule>;
  dataDir: string;
  webClientDir: string;
  config(): Settings['localHost'];
  networkInterfaces(): NodeJS.Dict<NetworkInterfaceInfo[]>;
  onStatus(status: LocalHostStatus): void;
  log: Logger;
  /** How often "who is connected" is refreshed while running. */
  presencePollMs?: number;
}

export interface LocalHost {
  status(): LocalHostStatus;
  start(): Promise<LocalHostStatus>;
  stop(): Promise<LocalHostStatus>;
  /** The LAN certificate's pin for each LAN URL, so this app trusts its own server there. */
  pins(): CertificatePin[];
  /** The SFU URL the running server hands out (the CSP allows it), or null when stopped. */
  sfuUrl(): string | null;
}

export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  return Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
}

const STOPPED: LocalHostStatus = {
  state: 'stopped',
  url: null,
  lanUrls: [],
  fingerprint: null,
  pin: null,
  setupCode: null,
  connected: [],
  error: null,
};

export function createLocalHost(deps: LocalHostDeps): LocalHost {
  const log = deps.log.child({ module: 'local-host' });
  let status: LocalHostStatus = STOPPED;
  let server: RunningTeamServer | null = null;
  let fronts: TlsFront[] = [];
  let certificate: LanCertificate | null = null;
  let presenceTimer: ReturnType<typeof setInterval> | null = null;
  let transition: Promise<LocalHostStatus> | null = null;

  const set = (next: LocalHostStatus): LocalHostStatus => {
    status = next;
    deps.onStatus(status);
    return status;
  };
  const failed = (code: 'LOCAL_HOST_UNAVAILABLE' | 'LOCAL_HOST_FAILED', message: string): LocalHostStatus =>
    set({ ...STOPPED, state: 'error', error: toBridgeError(new ParleyError(code, message)) });

  async function refreshPresence(): Promise<void> {
    const running = server;
    if (!running?.context) return;
    try {
      const rooms = await running.context.livekit.participantsByRoom();
      if (server !== running || status.state !== 'running') return;
      const connected = [...rooms]
        .filter(([, people]) => people.length > 0)
        .map(([room, people]) => ({
          room: room.slice(0, 100),
          names: people.map((person) => person.displayName.slice(0, 100)).slice(0, 500),
        }))
        .sort((a, b) => a.room.localeCompare(b.room));
      if (JSON.stringify(connected) !== JSON.stringify(status.connected)) set({ ...status, connected });
    } catch (error) {
      log.debug('local-host.presence_failed', { error });
    }
  }

  async function closeAll(): Promise<void> {
    if (presenceTimer) clearInterval(presenceTimer);
    presenceTimer = null;
    const closing = fronts;
    fronts = [];
    await Promise.all(closing.map((front) => front.close().catch(() => undefined)));
    const running = server;
    server = null;
    if (running) {
      try {
        await running.close();
      } catch (error) {
        log.warn('local-host.stop_failed', { error });
      }
    }
  }

  async function start(): Promise<LocalHostStatus> {
    if (server) return status;
    const { port, lanVisible, lanAddress } = deps.config();
    set({ ...STOPPED, state: 'starting' });
    let module: TeamServerModule;
    try {
      module = await deps.loadServer();
      if (typeof module.startTeamServer !== 'function') throw new Error('startTeamServer is not exported');
    } catch (error) {
      log.error('local-host.unavailable', { error });
      return failed('LOCAL_HOST_UNAVAILABLE', 'This build of Parley cannot host meetings.');
    }
    const all = lanVisible ? lanAddresses(deps.networkInterfaces()) : [];
    if (lanVisible && all.length === 0) return failed('LOCAL_HOST_FAILED', 'This computer is on no network teammates could reach.');
    // The chosen address first: it is the one links use.
    const addresses = lanAddress && all.includes(lanAddress) ? [lanAddress, ...all.filter((a) => a !== lanAddress)] : all;
    const primary = addresses[0];
    try {
      certificate = primary ? await lanCertificate(join(deps.dataDir, 'tls'), addresses) : null;
      server = await module.startTeamServer({
        dataDir: deps.dataDir,
        host: '127.0.0.1',
        port,
        webClientDir: deps.webClientDir,
        ...(primary
          ? { sfuHost: '0.0.0.0', publicUrl: `https://${primary}:${port}`, livekitPublicUrl: `wss://${primary}:${port + 1}` }
          : {}),
      });
      const sfuPort = server.sfu?.ports.http;
      if (certificate && !sfuPort) throw new Error('the team server started no SFU to offer on the LAN');
      for (const address of addresses) {
        if (!certificate || !sfuPort) break;
        fronts.push(await openTlsFront({ key: certificate.key, cert: certificate.cert, host: address, port, targetPort: port }));
        fronts.push(
          await openTlsFront({ key: certificate.key, cert: certificate.cert, host: address, port: port + 1, targetPort: sfuPort }),
        );
      }
      const lanUrls = addresses.map((address) => `https://${address}:${port}`);
      log.info('local-host.started', { port, lanVisible, lanUrls });
      presenceTimer = setInterval(() => void refreshPresence(), deps.presencePollMs ?? 3000);
      return set({
        state: 'running',
        url: `http://127.0.0.1:${port}`,
        lanUrls,
        fingerprint: certificate?.fingerprint ?? null,
        pin: certificate?.pin ?? null,
        setupCode: server.setupCode ?? null,
        connected: [],
        error: null,
      });
    } catch (error) {
      log.error('local-host.start_failed', { error });
      await closeAll();
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      return failed('LOCAL_HOST_FAILED', inUse ? `Port ${port} or ${port + 1} is already in use.` : 'The local server could not start.');
    }
  }

  async function stop(): Promise<LocalHostStatus> {
    const wasRunning = server !== null;
    await closeAll();
    certificate = null;
    if (wasRunning) log.info('local-host.stopped');
    return set(STOPPED);
  }

  // Start and stop are serialized so a double click cannot start two servers on one port.
  const serialize = (run: () => Promise<LocalHostStatus>): Promise<LocalHostStatus> => {
    const next = (transition ?? Promise.resolve(status)).then(run, run);
    transition = next;
    return next;
  };

  return {
    status: () => status,
    start: () => serialize(start),
    stop: () => serialize(stop),
    pins: () => (certificate ? status.lanUrls.flatMap((url) => [{ url, pin: certificate!.pin }]) : []),
    sfuUrl: () => (status.state === 'running' ? (server?.livekitUrl ?? null) : null),
  };
}
