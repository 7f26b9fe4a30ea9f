// "Host on this computer": runs the team server (with its embedded SFU) inside the desktop app
// for a team with no server, reachable from the LAN. The server module is loaded lazily so the app
// starts as fast without it, and a build without it still runs (LOCAL_HOST_UNAVAILABLE).
import type { NetworkInterfaceInfo } from 'node:os';
import type { LocalHostStatus, Settings } from '@contracts/desktop';
import { ParleyError, toBridgeError } from './errors';
import type { Logger } from './log';

export interface RunningTeamServer {
  url: string;
  close(): Promise<void>;
}

/** The part of server/index.ts's startTeamServer options the desktop app sets. */
export interface LocalTeamServerOptions {
  dataDir: string;
  host: string;
  port: number;
  /** The embedded SFU (livekit-server shipped in the app's resources). */
  livekitBinary: string;
  /** The built web client, so teammates without the app can join from a browser. */
  webClientDir: string;
  /** What LAN clients reach: advertised by the SFU (ICE) and used in links. */
  sfuNodeIp?: string;
  publicUrl?: string;
}

/** What server/index.ts exports. */
export interface TeamServerModule {
  startTeamServer(options: LocalTeamServerOptions): Promise<RunningTeamServer>;
}

export interface LocalHostDeps {
  loadServer(): Promise<TeamServerModule>;
  dataDir: string;
  livekitBinary: string;
  webClientDir: string;
  config(): Settings['localHost'];
  networkInterfaces(): NodeJS.Dict<NetworkInterfaceInfo[]>;
  onStatus(status: LocalHostStatus): void;
  log: Logger;
}

export interface LocalHost {
  status(): LocalHostStatus;
  start(): Promise<LocalHostStatus>;
  stop(): Promise<LocalHostStatus>;
}

export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  return Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
}

export function createLocalHost(deps: LocalHostDeps): LocalHost {
  const log = deps.log.child({ module: 'local-host' });
  let status: LocalHostStatus = { state: 'stopped', url: null, lanUrls: [], error: null };
  let server: RunningTeamServer | null = null;
  let transition: Promise<LocalHostStatus> | null = null;

  const set = (next: LocalHostStatus): LocalHostStatus => {
    status = next;
    deps.onStatus(status);
    return status;
  };

  async function start(): Promise<LocalHostStatus> {
    if (server) return status;
    const { port, lanVisible } = deps.config();
    set({ state: 'starting', url: null, lanUrls: [], error: null });
    let module: TeamServerModule;
    try {
      module = await deps.loadServer();
      if (typeof module.startTeamServer !== 'function') throw new Error('startTeamServer is not exported');
    } catch (error) {
      log.error('local-host.unavailable', { error });
      return set({
        state: 'error',
        url: null,
        lanUrls: [],
        error: toBridgeError(new ParleyError('LOCAL_HOST_UNAVAILABLE', 'This build of Parley cannot host meetings.')),
      });
    }
    try {
      const lan = lanVisible ? lanAddresses(deps.networkInterfaces()) : [];
      const lanIp = lan[0];
      server = await module.startTeamServer({
        dataDir: deps.dataDir,
        host: lanVisible ? '0.0.0.0' : '127.0.0.1',
        port,
        livekitBinary: deps.livekitBinary,
        webClientDir: deps.webClientDir,
        ...(lanIp ? { sfuNodeIp: lanIp, publicUrl: `http://${lanIp}:${port}` } : {}),
      });
      const lanUrls = lan.map((address) => `http://${address}:${port}`);
      log.info('local-host.started', { port, lanVisible, lanUrls });
      return set({ state: 'running', url: `http://127.0.0.1:${port}`, lanUrls, error: null });
    } catch (error) {
      log.error('local-host.start_failed', { error });
      const message =
        (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `Port ${port} is already in use.` : 'The local server could not start.';
      return set({ state: 'error', url: null, lanUrls: [], error: { code: 'LOCAL_HOST_FAILED', message } });
    }
  }

  async function stop(): Promise<LocalHostStatus> {
    const running = server;
    server = null;
    if (running) {
      try {
        await running.close();
      } catch (error) {
        log.warn('local-host.stop_failed', { error });
      }
      log.info('local-host.stopped');
    }
    return set({ state: 'stopped', url: null, lanUrls: [], error: null });
  }

  // Start and stop are serialized so a double click cannot start two servers on one port.
  const serialize = (run: () => Promise<LocalHostStatus>): Promise<LocalHostStatus> => {
    const next = (transition ?? Promise.resolve(status)).then(run, run);
    transition = next;
    return next;
  };

  return { status: () => status, start: () => serialize(start), stop: () => serialize(stop) };
}
