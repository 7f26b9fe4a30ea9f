import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSfuConfig, generateSfuKeys, type SfuKeys } from './livekit-config';
import type { SfuTurn } from './turn-config';
import { freeTcpPort, freeUdpPort } from '../lib/free-port';
import { spawnSupervised, type SupervisedChild } from '../process/supervised-child';

export interface LaunchOptions {
  /** Path of the livekit-server binary (see scripts/obtain-livekit-server.ts). */
  binary: string;
  keys?: SfuKeys;
  bindAddress?: string;
  httpPort?: number;
  rtcTcpPort?: number;
  udpMuxPort?: number;
  webhookUrl?: string;
  nodeIp?: string;
  /** TURN (built-in or external); none when not given. */
  turn?: SfuTurn;
  /** How long to wait for the SFU to answer before giving up. */
  startTimeoutMs?: number;
  /** Receives every log line the SFU prints (JSON lines). */
  onLog?: (line: string) => void;
  /**
   * The data dir's run/ folder (see server/process/data-dir-lock.ts): the SFU's record and its
   * config file go there. Without it the config goes to a private temporary folder.
   */
  runDir?: string;
}

export interface RunningSfu {
  /** ws:// URL clients connect to. */
  url: string;
  /** http:// URL for the server API (RoomServiceClient). */
  httpUrl: string;
  keys: SfuKeys;
  ports: { http: number; rtcTcp: number; udpMux: number };
  /** What TURN the SFU offers its clients, if any. */
  turn: SfuTurn | undefined;
  pid: number;
  /** The pid of its lifeline watcher (Linux, macOS), for tests. */
  watcherPid: number | undefined;
  /** Last lines the SFU printed, for error messages. */
  recentLog(): string[];
  /** Resolves when the process has exited; idempotent. */
  stop(): Promise<void>;
}

export class SfuStartError extends Error {
  readonly code = 'SFU_START_FAILED';
  constructor(
    message: string,
    readonly log: string[],
  ) {
    super(`${message}\n--- livekit-server log (last ${log.length} lines) ---\n${log.join('\n')}`);
  }
}

// livekit-server reads LIVEKIT_* variables over its config, and whatever else this process was
// given (other services' secrets) is none of its business: it gets only what a program needs to run.
const PASSED_ENV = ['PATH', 'HOME', 'USERPROFILE', 'TMPDIR', 'TMP', 'TEMP', 'SYSTEMROOT', 'WINDIR', 'TZ', 'LANG', 'LC_ALL'];
function sfuEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (PASSED_ENV.includes(k.toUpperCase()) && v !== undefined) env[k] = v;
  return env;
}

async function waitUntilAnswering(httpUrl: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const res = await fetch(httpUrl, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise<void>((r) => setTimeout(r, 50));
  }
  throw new Error('did not answer in time');
}

/**
 * Starts livekit-server with a generated config and waits until it answers HTTP. Ports it picked
 * itself can be taken by another process between the probe and the SFU's bind; then it tries again
 * with fresh ones. Ports the caller chose are never silently changed.
 */
export async function launchSfu(opts: LaunchOptions): Promise<RunningSfu> {
  const fixed = new Set([opts.httpPort, opts.rtcTcpPort, opts.udpMuxPort].filter((p) => p !== undefined));
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(opts);
    } catch (err) {
      // livekit-server says which port: "listen tcp 127.0.0.1:39797: bind: address already in use".
      const taken =
        err instanceof SfuStartError ? err.log.map((l) => /:(\d+): bind: address already in use/i.exec(l)?.[1]).find(Boolean) : undefined;
      if (!taken || fixed.has(Number(taken)) || attempt >= 3) throw err;
    }
  }
}

async function launchOnce(opts: LaunchOptions): Promise<RunningSfu> {
  const bindAddress = opts.bindAddress ?? '127.0.0.1';
  const probeHost = bindAddress === '0.0.0.0' || bindAddress === '::' ? '127.0.0.1' : bindAddress;
  const keys = opts.keys ?? generateSfuKeys();
  const ports = {
    http: opts.httpPort ?? (await freeTcpPort(probeHost)),
    rtcTcp: opts.rtcTcpPort ?? (await freeTcpPort(probeHost)),
    udpMux: opts.udpMuxPort ?? (await freeUdpPort(probeHost)),
  };
  const config = buildSfuConfig({
    keys,
    bindAddress,
    httpPort: ports.http,
    rtcTcpPort: ports.rtcTcp,
    udpMuxPort: ports.udpMux,
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
    ...(opts.nodeIp ? { nodeIp: opts.nodeIp } : {}),
    ...(opts.turn ? { turn: opts.turn } : {}),
  });

  // The secret goes in a file only this user can read, removed as soon as the SFU has read it:
  // never on the command line or in the environment, which other local users can list.
  const configDir = opts.runDir ?? mkdtempSync(join(tmpdir(), 'parley-sfu-'));
  const configFile = join(configDir, 'livekit-server.yaml');
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const removeConfig = (): void => rmSync(opts.runDir ? configFile : configDir, { recursive: true, force: true });

  let sfu: SupervisedChild;
  try {
    sfu = await spawnSupervised({
      name: 'livekit-server',
      executable: opts.binary,
      args: ['--config', configFile],
      env: sfuEnvironment(),
      ...(opts.runDir ? { runDir: opts.runDir } : {}),
      // livekit-server drains on the first signal (waits for participants to leave) and forces on
      // the second. The meeting ends with the team server, so a short grace is all it gets.
      stopSignals: [
        ['SIGTERM', 0],
        ['SIGTERM', 1_000],
        ['SIGKILL', 5_000],
      ],
    });
  } catch (err) {
    removeConfig();
    throw new SfuStartError(`livekit-server failed to start: ${(err as Error).message}`, []);
  }
  const child: ChildProcess = sfu.child;
  const log: string[] = [];
  const lineReader = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        log.push(line);
        if (log.length > 200) log.shift();
        opts.onLog?.(line);
      }
    };
  };
  child.stdout?.on('data', lineReader());
  child.stderr?.on('data', lineReader());
  // 'close' comes after 'exit' once the pipes are drained: the log is complete only then.
  const drained = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const host = probeHost.includes(':') ? `[${probeHost}]` : probeHost;
  const httpUrl = `http://${host}:${ports.http}`;
  const stop = async (): Promise<void> => {
    await sfu.stop();
  };

  try {
    await waitUntilAnswering(httpUrl, child, Date.now() + (opts.startTimeoutMs ?? 20_000));
  } catch (err) {
    await stop();
    await drained;
    throw new SfuStartError(`livekit-server failed to start: ${(err as Error).message}`, log.slice(-40));
  } finally {
    removeConfig();
  }

  return {
    url: `ws://${host}:${ports.http}`,
    httpUrl,
    keys,
    ports,
    turn: opts.turn,
    pid: sfu.pid,
    watcherPid: sfu.watcherPid,
    recentLog: () => [...log],
    stop,
  };
}
