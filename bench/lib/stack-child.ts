// Runs the real team server (with its embedded livekit-server) in its own process, so a benchmark's
// load generator, browser driver and publishers never share an event loop with the server they
// measure, and the server's CPU can be read on its own. Prints one `BENCH_STACK <json>` line when
// ready; stops on SIGTERM/SIGINT or when its stdin closes (the parent died).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { obtainLivekitServer } from '@scripts/obtain-livekit-server';
import type { startTeamServer as StartTeamServer } from '@server/index';

// BENCH_SERVER_MODULE benchmarks another checkout of the team server (e.g. the last release) with
// the same bench code; by default the one in this tree.
const serverModule = process.env.BENCH_SERVER_MODULE ?? '../../server/index';
const { startTeamServer } = (await import(serverModule)) as { startTeamServer: typeof StartTeamServer };

const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const binary = await obtainLivekitServer({ quiet: true });
const server = await startTeamServer({
  dataDir,
  // BENCH_HOST: an address on a link the bench made (test/support/lan.ts); the SFU binds it too.
  host: process.env.BENCH_HOST ?? '127.0.0.1',
  port: 0,
  livekitBinary: binary,
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
  // The per-client-IP limit (default 1200/min) would cap a one-IP load generator at 20 req/s: the
  // bench measures what the server can do for many clients, so it lifts the limit.
  rateLimitPerMinute: Number(process.env.BENCH_RATE_LIMIT_PER_MINUTE ?? 1_000_000),
  // A web client built for this bench run (see buildWebClient), else the default out/renderer.
  ...(process.env.BENCH_WEB_CLIENT_DIR ? { webClientDir: process.env.BENCH_WEB_CLIENT_DIR } : {}),
});
// A fresh data directory always has no users, so the server hands out the one-time setup code the
// bench signs in with.
const setupCode = server.setupCode;
if (!setupCode) {
  await server.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  throw new Error('team server started without a setup code');
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();

console.log(
  `BENCH_STACK ${JSON.stringify({
    url: server.url,
    livekitUrl: server.livekitUrl,
    apiKey: server.livekit.apiKey,
    apiSecret: server.livekit.apiSecret,
    setupCode,
    sfuPid: server.sfu?.pid ?? null,
    livekitBinary: binary,
    dataDir,
  })}`,
);
