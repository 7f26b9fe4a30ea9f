import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { launchSfu, type RunningSfu } from './sfu/livekit-launcher';
import { generateSfuKeys } from './sfu/livekit-config';

export interface LivekitTarget {
  url: string;
  apiKey: string;
  apiSecret: string;
}

export interface TeamServerOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The URL people reach the server at (behind a proxy); defaults to the listen address. */
  publicUrl?: string;
  /** An existing LiveKit; without it the embedded livekit-server is started. */
  livekit?: LivekitTarget;
  /** livekit-server binary for the embedded SFU. */
  livekitBinary?: string;
  /** Built web client to serve at /; defaults to out/renderer next to the repo root. */
  webClientDir?: string;
  /** Enables POST /api/v1/dev/join (no sign-in). For the walking skeleton only. */
  devJoin?: boolean;
  logLevel?: string;
}

export interface RunningTeamServer {
  url: string;
  /** What clients connect to (ws://). */
  livekitUrl: string;
  livekit: LivekitTarget;
  sfu?: RunningSfu;
  app: FastifyInstance;
  close(): Promise<void>;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function startTeamServer(opts: TeamServerOptions): Promise<RunningTeamServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const host = opts.host ?? '127.0.0.1';
  const keys = opts.livekit ?? { url: '', ...generateSfuKeys() };
  const livekit: LivekitTarget = { url: keys.url, apiKey: keys.apiKey, apiSecret: keys.apiSecret };
  const app = await buildApp({
    livekit,
    webClientDir: opts.webClientDir ?? resolve(repoRoot, 'out', 'renderer'),
    devJoin: opts.devJoin ?? false,
    logLevel: opts.logLevel ?? 'info',
  });
  const address = await app.listen({ host, port: opts.port ?? 0 });
  const url = opts.publicUrl ?? address.replace('0.0.0.0', '127.0.0.1');

  let sfu: RunningSfu | undefined;
  if (!opts.livekit) {
    if (!opts.livekitBinary) {
      await app.close();
      throw Object.assign(new Error('no LiveKit configured and no livekit-server binary given'), { code: 'SFU_MISSING' });
    }
    try {
      sfu = await launchSfu({
        binary: opts.livekitBinary,
        keys: { apiKey: livekit.apiKey, apiSecret: livekit.apiSecret },
        bindAddress: host,
        webhookUrl: `${address}/livekit/webhook`,
      });
    } catch (err) {
      await app.close();
      throw err;
    }
    livekit.url = sfu.url;
  }

  return {
    url,
    livekitUrl: livekit.url,
    livekit,
    ...(sfu ? { sfu } : {}),
    app,
    async close() {
      await app.close();
      await sfu?.stop();
    },
  };
}
