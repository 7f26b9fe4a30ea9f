// Starts the real stack (team server + livekit-server) in a child process and signs a bench user in
// through the real API (setup code, sign-in, rooms, POST /api/v1/rooms/:room/join).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createApiClient, type ApiClient } from '@contracts/api-client';
import { repoRoot } from './cli';

export interface BenchStack {
  url: string;
  livekitUrl: string;
  apiKey: string;
  apiSecret: string;
  setupCode: string;
  serverPid: number;
  sfuPid: number | null;
  livekitBinary: string;
  /** The team server's data dir (recordings are written under it). */
  dataDir: string;
  close(): Promise<void>;
}

export async function startBenchStack(opts: { webClientDir?: string; timeoutMs?: number; host?: string } = {}): Promise<BenchStack> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the team server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', resolve(repoRoot, 'bench/lib/stack-child.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...(opts.webClientDir ? { BENCH_WEB_CLIENT_DIR: opts.webClientDir } : {}),
      ...(opts.host ? { BENCH_HOST: opts.host } : {}),
    },
  });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const info = await new Promise<Omit<BenchStack, 'close' | 'serverPid'>>((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error(`team server did not start in ${timeoutMs} ms:\n${stderr.join('')}`)), timeoutMs);
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      if (line.startsWith('BENCH_STACK ')) {
        clearTimeout(timer);
        resolveInfo(JSON.parse(line.slice('BENCH_STACK '.length)) as Omit<BenchStack, 'close' | 'serverPid'>);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`team server exited (${code}) before it was ready:\n${stderr.join('')}`));
    });
  });
  let closing: Promise<void> | undefined;
  return {
    ...info,
    serverPid: child.pid ?? -1,
    close() {
      closing ??= (async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(force);
        }
      })();
      return closing;
    },
  };
}

export interface JoinGrant {
  url: string;
  token: string;
  identity: string;
}

/** A signed-in bench user; tokens come from the authenticated join route. */
export interface BenchSession {
  /** Session bearer token for the API. */
  sessionToken: string;
  api: ApiClient;
  /** Mints a LiveKit join grant for `room` through the team server. */
  join(room: string, name: string): Promise<JoinGrant>;
  /** The HTTP request a join is, for load generators (autocannon). */
  joinRequest(room: string): { path: string; method: 'POST'; headers: Record<string, string>; body: string };
  ensureRoom(room: string): Promise<void>;
}

export const BENCH_USER = { username: 'bench', password: 'bench-password-1', displayName: 'Bench' };

/** Finishes setup with the stack's one-time code, which signs the bench user in as the admin. */
export async function benchSession(stack: BenchStack): Promise<BenchSession> {
  const api = createApiClient({ baseUrl: stack.url });
  await api.setup({ code: stack.setupCode, ...BENCH_USER });
  const sessionToken = api.token;
  if (!sessionToken) throw new Error('setup returned no session token');
  const rooms = new Set<string>();
  let device = 0;
  const ensureRoom = async (room: string) => {
    if (rooms.has(room)) return;
    try {
      await api.createRoom({ name: room, title: `Bench ${room}` });
    } catch (err) {
      if ((err as { code?: string }).code !== 'ROOM_EXISTS') throw err;
    }
    rooms.add(room);
  };
  return {
    sessionToken,
    api,
    ensureRoom,
    async join(room) {
      await ensureRoom(room);
      // One user, many devices: each bench participant gets its own identity (u:<user>:<device>).
      const r = await api.joinRoom(room, { device: `bench${String(device++).padStart(4, '0')}` });
      return { url: r.url, token: r.token, identity: r.identity };
    },
    joinRequest(room) {
      return {
        path: `/api/v1/rooms/${encodeURIComponent(room)}/join`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionToken}` },
        body: '{}',
      };
    },
  };
}
