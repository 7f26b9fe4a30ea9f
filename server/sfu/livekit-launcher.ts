import { type ChildProcess, spawn } from 'node:child_process';
import { buildSfuConfig, generateSfuKeys, type SfuKeys } from './livekit-config';
import { freeTcpPort, freeUdpPort } from '../lib/free-port';

export interface LaunchOptions {
  /** Path of the livekit-server binary (see scripts/obtain-livekit-server.mjs). */
  binary: string;
  keys?: SfuKeys;
  bindAddress?: string;
  httpPort?: number;
  rtcTcpPort?: number;
  udpMuxPort?: number;
  webhookUrl?: string;
  nodeIp?: string;
  /** How long to wait for the SFU to answer before giving up. */
  startTimeoutMs?: number;
  /** Receives every log line the SFU prints (JSON lines). */
  onLog?: (line: string) => void;
}

export interface RunningSfu {
  /** ws:// URL clients connect to. */
  url: string;
  /** http:// URL for the server API (RoomServiceClient). */
  httpUrl: string;
  keys: SfuKeys;
  ports: { http: number; rtcTcp: number; udpMux: number };
  pid: number;
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

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// A test that throws, or a Ctrl-C on `npm start`, must not leave an SFU holding ports. Where the
// application handles the signal itself (a graceful close that stops the SFU through stop()), the
// launcher stays out of its way; otherwise it kills the SFU and exits as the default action would.
const signalNumbers = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const [signal, number] of Object.entries(signalNumbers)) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      for (const child of running) child.kill('SIGKILL');
      process.exit(128 + number);
    };
    process.on(signal, onSignal);
  }
}

// livekit-server reads LIVEKIT_* variables over its config; a stray one in the shell must not win.
function sfuEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LIVEKIT_')) env[k] = v;
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
  const chosePorts = opts.httpPort === undefined && opts.rtcTcpPort === undefined && opts.udpMuxPort === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(opts);
    } catch (err) {
      const portRace = err instanceof SfuStartError && err.log.some((l) => /address already in use/i.test(l));
      if (!chosePorts || !portRace || attempt >= 3) throw err;
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
  });

  installExitHook();
  const child = spawn(opts.binary, ['--config-body', JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: sfuEnvironment(),
  });
  running.add(child);
  const log: string[] = [];
  const onChunk = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      log.push(line);
      if (log.length > 200) log.shift();
      opts.onLog?.(line);
    }
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    child.once('error', () => {
      running.delete(child);
      resolve();
    });
  });

  const host = probeHost.includes(':') ? `[${probeHost}]` : probeHost;
  const httpUrl = `http://${host}:${ports.http}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // livekit-server drains on the first signal (waits for participants to leave) and forces on
        // the second. The meeting ends with the team server, so a short grace is all it gets.
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGTERM'), 1000);
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(force);
        clearTimeout(kill);
      }
    })();
    return stopping;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    await waitUntilAnswering(httpUrl, child, Date.now() + (opts.startTimeoutMs ?? 20_000));
  } catch (err) {
    await stop();
    throw new SfuStartError(`livekit-server failed to start: ${(err as Error).message}`, log.slice(-40));
  }

  return {
    url: `ws://${host}:${ports.http}`,
    httpUrl,
    keys,
    ports,
    pid: child.pid ?? -1,
    recentLog: () => [...log],
    stop,
  };
}
