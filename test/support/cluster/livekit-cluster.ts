import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSfuKeys, type SfuKeys } from '@server/sfu/livekit-config';
import { freeTcpPort, freeUdpPort } from '@server/lib/free-port';
import { startOwned, until, type OwnedProcess } from './process';

export interface ClusterNode {
  /** ws:// URL clients connect to. */
  url: string;
  httpUrl: string;
  process: OwnedProcess;
  /** livekit-server drains on SIGTERM: it takes no new rooms and waits for its participants to leave. */
  drain(): void;
  /** SIGKILL: the node is gone at once, as when its machine fails. */
  kill(): Promise<void>;
  running(): boolean;
}

export interface LivekitCluster {
  keys: SfuKeys;
  nodes: ClusterNode[];
  stop(): Promise<void>;
}

/**
 * Several livekit-server nodes in LiveKit's own distributed mode: one Redis, one key pair, each node
 * on its own loopback ports. The config (with the secret) goes in a 0600 file, never on the command
 * line, where every local user could read it.
 */
export async function startLivekitCluster(opts: {
  binary: string;
  redisPort: number;
  nodes: number;
  webhookUrls?: string[];
}): Promise<LivekitCluster> {
  const keys = generateSfuKeys();
  const dir = mkdtempSync(join(tmpdir(), 'parley-lk-'));
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < opts.nodes; i++) {
      const http = await freeTcpPort();
      const tcp = await freeTcpPort();
      const udp = await freeUdpPort();
      const config = {
        port: http,
        bind_addresses: ['127.0.0.1'],
        keys: { [keys.apiKey]: keys.apiSecret },
        redis: { address: `127.0.0.1:${opts.redisPort}` },
        rtc: { tcp_port: tcp, udp_port: udp, use_external_ip: false, node_ip: '127.0.0.1', enable_loopback_candidate: true },
        room: { auto_create: true, empty_timeout: 300, departure_timeout: 20 },
        ...(opts.webhookUrls?.length ? { webhook: { api_key: keys.apiKey, urls: opts.webhookUrls } } : {}),
        logging: { level: 'info', json: true },
      };
      const file = join(dir, `node-${i}.yaml`);
      // YAML is a superset of JSON.
      writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LIVEKIT_')) env[k] = v;
      const proc = startOwned(opts.binary, ['--config', file], { env });
      const httpUrl = `http://127.0.0.1:${http}`;
      await until(`livekit-server node ${i}`, proc, async () => (await fetch(httpUrl, { signal: AbortSignal.timeout(1000) })).ok);
      nodes.push({
        url: `ws://127.0.0.1:${http}`,
        httpUrl,
        process: proc,
        drain: () => void proc.child.kill('SIGTERM'),
        kill: async () => {
          proc.child.kill('SIGKILL');
          await proc.exited;
        },
        running: () => proc.child.exitCode === null && proc.child.signalCode === null,
      });
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    keys,
    nodes,
    async stop() {
      // Two signals: the first drains, the second stops at once.
      await Promise.all(
        nodes.map(async (n) => {
          if (!n.running()) return;
          n.process.child.kill('SIGTERM');
          setTimeout(() => n.process.child.kill('SIGTERM'), 500).unref();
          await n.process.stop('SIGTERM', 5_000);
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
