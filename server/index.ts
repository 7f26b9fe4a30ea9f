import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import pkg from '../package.json' with { type: 'json' };
import { buildApp, type TeamApp } from './app';
import { newSetupCode } from './auth/setup-code';
import { packageRoot, type ServerSettings } from './config';
import { createContext, DEFAULT_LIMITS, SETUP_CODE_KEY, type AppContext, type Limits } from './context';
import { openDatabase, type DatabaseTarget, type Db } from './db/database';
import { connectRedis, type SharedRedis } from './shared-state/redis';
import { freeTcpPort } from './lib/free-port';
import { LivekitService } from './livekit/livekit-service';
import { lockDataDir, type DataDirLock } from './process/data-dir-lock';
import { stopStaleChildren } from './process/child-records';
import { findLivekitBinary } from './sfu/livekit-binary';
import { DEFAULT_RECORDING_SETTINGS } from './recording/recording-service';
import { LocalStorage, recordingsDir, S3Storage, type S3Settings } from './recording/storage';
import { loadPresence } from './rooms/room-service';
import { launchSfu, type RunningSfu } from './sfu/livekit-launcher';
import { generateSfuKeys, type SfuKeys } from './sfu/livekit-config';
import { resolveTurn, type TurnOptions } from './sfu/turn-setup';

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
  /** The SFU URL clients use when it differs from the one the server talks to (a TLS proxy in front). */
  livekitPublicUrl?: string;
  /** livekit-server binary for the embedded SFU; found by server/sfu/livekit-binary.ts when not given. */
  livekitBinary?: string;
  /** Address the embedded SFU binds; defaults to host. */
  sfuHost?: string;
  /** IP the embedded SFU advertises to clients (ICE). */
  sfuNodeIp?: string;
  /** TURN for the embedded SFU: on by default when it serves a network (see server/sfu/turn-setup.ts). */
  turn?: TurnOptions;
  /** Built web client to serve at /; defaults to out/renderer in the package. */
  webClientDir?: string;
  logLevel?: string;
  /** A logger of the embedder's (the desktop app); otherwise pino to stdout. */
  logger?: Logger;
  serverName?: string;
  /** Hours a session may go unused before it ends (sliding; default 168 = a week). */
  sessionTtlHours?: number;
  /** X-Forwarded-For hops to believe: the proxies' addresses or ranges, or their count. */
  trustProxy?: false | number | string[];
  /** Without it, /metrics answers loopback callers only. */
  metricsToken?: string;
  /** Per-user caps (rooms, event streams); defaults in context.ts. */
  limits?: Partial<Limits>;
  /** Per-IP requests per minute over all routes (default 1200). */
  rateLimitPerMinute?: number;
  /** Per-IP limit of the routes that check secrets (default 30/min). */
  authRateLimitPerMinute?: number;
  /** Web origins besides the desktop app's allowed to call the API cross-origin. */
  corsOrigins?: string[];
  /** https directory with the desktop app's update files, offered to the app in GET /api/v1/server. */
  updateFeedUrl?: string;
  /** A PostgreSQL (postgres://) shared by several instances; without it, SQLite in dataDir. */
  databaseUrl?: string;
  /** A Redis several instances share their ephemeral state through; without it, in memory. */
  redisUrl?: string;
  /** The nodes of an existing LiveKit cluster, handed out to clients in turn (with `livekit`). */
  livekitNodeUrls?: string[];
  recording?: {
    /** Keep finished recordings in this bucket instead of the data dir. */
    s3?: S3Settings;
    /** Stop a recording when the data dir's file system has less than this free (default 256 MiB). */
    minFreeBytes?: number;
    /** How long a meeting may go on without a host before its recording ends (default 10 s). */
    hostGraceMs?: number;
    /** Seconds a download link works (default 300). */
    linkSeconds?: number;
  };
}

export interface RunningTeamServer {
  url: string;
  /** What clients connect to (ws://). */
  livekitUrl: string;
  livekit: LivekitTarget;
  sfu?: RunningSfu;
  app: TeamApp;
  /** The one-time first-run code while no account exists (also printed to the log). */
  setupCode?: string;
  /** Shared state, for embedders and tests. */
  context: AppContext;
  close(): Promise<void>;
}

const DB_FILE = 'parley.db';
/** However often it is used, a session ends a month after sign-in (then: sign in again). */
const SESSION_MAX_HOURS = 24 * 30;
const SFU_KEYS_FILE = 'livekit-keys.json';

/** The embedded SFU's key pair: generated on first start, then reused, so issued tokens stay valid across restarts. */
function embeddedSfuKeys(dataDir: string): SfuKeys {
  const file = join(dataDir, SFU_KEYS_FILE);
  if (existsSync(file)) {
    const k = JSON.parse(readFileSync(file, 'utf8')) as Partial<SfuKeys>;
    if (typeof k.apiKey === 'string' && typeof k.apiSecret === 'string' && k.apiSecret.length >= 32)
      return { apiKey: k.apiKey, apiSecret: k.apiSecret };
    throw new Error(`${file} is damaged; delete it to generate new SFU keys`);
  }
  const keys = generateSfuKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  return keys;
}

/** Maps validated settings (config.ts) to options. */
export function optionsFromSettings(s: ServerSettings): TeamServerOptions {
  return {
    dataDir: resolve(s.dataDir ?? 'parley-data'),
    host: s.host ?? '127.0.0.1',
    port: s.port ?? 8080,
    ...(s.publicUrl ? { publicUrl: s.publicUrl } : {}),
    ...(s.livekitUrl && s.livekitApiKey && s.livekitApiSecret
      ? { livekit: { url: s.livekitUrl, apiKey: s.livekitApiKey, apiSecret: s.livekitApiSecret } }
      : {}),
    ...(s.livekitPublicUrl ? { livekitPublicUrl: s.livekitPublicUrl } : {}),
    ...(s.livekitBinary ? { livekitBinary: s.livekitBinary } : {}),
    ...(s.sfuHost ? { sfuHost: s.sfuHost } : {}),
    ...(s.sfuNodeIp ? { sfuNodeIp: s.sfuNodeIp } : {}),
    turn: turnOptionsFrom(s),
    ...(s.webClientDir ? { webClientDir: resolve(s.webClientDir) } : {}),
    ...(s.logLevel ? { logLevel: s.logLevel } : {}),
    ...(s.serverName ? { serverName: s.serverName } : {}),
    ...(s.sessionTtlHours ? { sessionTtlHours: s.sessionTtlHours } : {}),
    ...(s.trustProxy !== undefined ? { trustProxy: s.trustProxy } : {}),
    ...(s.metricsToken ? { metricsToken: s.metricsToken } : {}),
    ...(s.rateLimitPerMinute ? { rateLimitPerMinute: s.rateLimitPerMinute } : {}),
    ...(s.corsOrigins?.length ? { corsOrigins: s.corsOrigins } : {}),
    ...(s.updateFeedUrl ? { updateFeedUrl: s.updateFeedUrl } : {}),
    ...(s.databaseUrl ? { databaseUrl: s.databaseUrl } : {}),
    ...(s.redisUrl ? { redisUrl: s.redisUrl } : {}),
    ...(s.livekitNodeUrls?.length ? { livekitNodeUrls: s.livekitNodeUrls } : {}),
    recording: {
      ...(s.recordingMinFreeMb !== undefined ? { minFreeBytes: s.recordingMinFreeMb * 1024 * 1024 } : {}),
      ...(s.recordingsS3Bucket && s.recordingsS3AccessKeyId && s.recordingsS3SecretAccessKey
        ? {
            s3: {
              bucket: s.recordingsS3Bucket,
              region: s.recordingsS3Region ?? 'us-east-1',
              endpoint: s.recordingsS3Endpoint,
              accessKeyId: s.recordingsS3AccessKeyId,
              secretAccessKey: s.recordingsS3SecretAccessKey,
              // Self-hosted S3-compatible services want the bucket in the path; AWS takes either.
              forcePathStyle: s.recordingsS3PathStyle ?? !!s.recordingsS3Endpoint,
              prefix: s.recordingsS3Prefix ?? '',
            },
          }
        : {}),
    },
  };
}

/** Where this server's durable state lives. */
export function databaseTarget(opts: Pick<TeamServerOptions, 'dataDir' | 'databaseUrl'>): DatabaseTarget {
  return opts.databaseUrl ? { kind: 'postgres', url: opts.databaseUrl } : { kind: 'sqlite', file: join(opts.dataDir, DB_FILE) };
}

/**
 * The first-run code while no account exists, in the database so every instance agrees on it: the
 * instance started last writes a fresh one (the code changes on every start until setup is done).
 */
async function firstRunCode(db: Db): Promise<string | undefined> {
  const users = await db.q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  if (Number(users?.n ?? 0) > 0) return undefined;
  const code = newSetupCode();
  await db.q
    .insertInto('settings')
    .values({ key: SETUP_CODE_KEY, value: code })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: code }))
    .execute();
  return code;
}

function turnOptionsFrom(s: ServerSettings): TurnOptions {
  return {
    ...(s.turn !== undefined ? { enabled: s.turn === 'on' } : {}),
    ...(s.turnDomain ? { domain: s.turnDomain } : {}),
    ...(s.turnUdpPort !== undefined ? { udpPort: s.turnUdpPort } : {}),
    ...(s.turnTlsPort !== undefined ? { tlsPort: s.turnTlsPort } : {}),
    ...(s.turnCertFile ? { certFile: s.turnCertFile } : {}),
    ...(s.turnKeyFile ? { keyFile: s.turnKeyFile } : {}),
    ...(s.turnServers?.length ? { servers: s.turnServers } : {}),
    ...(s.turnSecret ? { secret: s.turnSecret } : {}),
    ...(s.turnTtlSeconds ? { ttlSeconds: s.turnTtlSeconds } : {}),
  };
}

const wildcard = (h: string) => h === '0.0.0.0' || h === '::';

export async function startTeamServer(opts: TeamServerOptions): Promise<RunningTeamServer> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const log = opts.logger ?? pino({ level: opts.logLevel ?? 'info', redact: ['req.headers.authorization'] });
  // One server per data dir (a second one refuses: DATA_DIR_IN_USE); then whatever children a
  // killed earlier run left behind are ours to stop. The lock is released when the server closes.
  const lock = lockDataDir(opts.dataDir);
  try {
    for (const { name, pid, executable, stopped } of await stopStaleChildren(lock.runDir)) {
      log.warn({ child: name, childPid: pid, executable, stopped }, 'stopped a child process left by an earlier run');
    }
    return await startLocked(opts, lock, log);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(opts: TeamServerOptions, lock: DataDirLock, log: Logger): Promise<RunningTeamServer> {
  const host = opts.host ?? '127.0.0.1';
  const keys: SfuKeys = opts.livekit ? { apiKey: opts.livekit.apiKey, apiSecret: opts.livekit.apiSecret } : embeddedSfuKeys(opts.dataDir);
  const livekit: LivekitTarget = { url: opts.livekit?.url ?? '', ...keys };

  // The embedded SFU's port is chosen now so its URL (needed by the CSP) is known before the app is built.
  const sfuHost = opts.sfuHost ?? host;
  const probe = wildcard(sfuHost) ? '127.0.0.1' : sfuHost;
  const sfuHttpPort = opts.livekit ? undefined : await freeTcpPort(probe);
  const livekitBinary = opts.livekit ? undefined : (opts.livekitBinary ?? findLivekitBinary());
  if (!opts.livekit && !livekitBinary) {
    throw Object.assign(new Error('no LiveKit configured and no livekit-server binary given (LIVEKIT_SERVER_BIN)'), {
      code: 'SFU_MISSING',
    });
  }
  const sfuUrl = sfuHttpPort ? `ws://${probe.includes(':') ? `[${probe}]` : probe}:${sfuHttpPort}` : livekit.url;
  const clientLivekitUrl = opts.livekitPublicUrl ?? sfuUrl;

  let shared: SharedRedis | undefined;
  let db: Db | undefined;
  try {
    db = await openDatabase(databaseTarget(opts), log);
    if (opts.redisUrl) shared = await connectRedis(opts.redisUrl, log);
  } catch (err) {
    await db?.close().catch(() => undefined);
    throw err;
  }
  const lk = new LivekitService(keys);
  const nodeUrls = opts.livekit && opts.livekitNodeUrls?.length ? { nodeUrls: opts.livekitNodeUrls } : {};
  if (opts.livekit) lk.connect({ apiUrl: opts.livekit.url, publicUrl: clientLivekitUrl, ...nodeUrls });
  else lk.connect({ apiUrl: sfuUrl, publicUrl: clientLivekitUrl });

  const setupCode = await firstRunCode(db);
  const root = packageRoot();
  const settings = {
    serverName: opts.serverName ?? 'Parley',
    version: pkg.version,
    publicUrl: '',
    sessionIdleMs: (opts.sessionTtlHours ?? 24 * 7) * 3_600_000,
    sessionMaxMs: Math.max(opts.sessionTtlHours ?? 0, SESSION_MAX_HOURS) * 3_600_000,
    metricsToken: opts.metricsToken,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 1200,
    trustProxy: opts.trustProxy ?? false,
    webClientDir: opts.webClientDir ?? (root ? join(root, 'out', 'renderer') : undefined),
    corsOrigins: opts.corsOrigins ?? [],
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    ...(opts.updateFeedUrl ? { updateFeedUrl: opts.updateFeedUrl } : {}),
  };
  const recDir = recordingsDir(opts.dataDir);
  const rec = opts.recording ?? {};
  const ctx = await createContext({
    settings,
    log,
    db,
    livekit: lk,
    shared,
    recording: {
      dir: recDir,
      runDir: lock.runDir,
      storage: rec.s3 ? new S3Storage(rec.s3) : new LocalStorage(recDir),
      minFreeBytes: rec.minFreeBytes ?? DEFAULT_RECORDING_SETTINGS.minFreeBytes,
      hostGraceMs: rec.hostGraceMs ?? DEFAULT_RECORDING_SETTINGS.hostGraceMs,
      linkSeconds: rec.linkSeconds ?? DEFAULT_RECORDING_SETTINGS.linkSeconds,
      fps: DEFAULT_RECORDING_SETTINGS.fps,
    },
  });

  let app: TeamApp | undefined;
  let sfu: RunningSfu | undefined;
  const housekeeping = setInterval(() => {
    const now = Date.now();
    // Every instance may run it: each statement is idempotent.
    void (async () => {
      await ctx.auth.sessions.prune(now, 7 * 24 * 3_600_000);
      await ctx.meetings.pruneDeliveries(now - 24 * 3_600_000);
      await ctx.guestLinks.prune(now, 7 * 24 * 3_600_000);
      await ctx.loginFailures.sweep(now);
    })().catch((err: unknown) => log.warn({ err }, 'housekeeping failed'));
  }, 3_600_000);
  housekeeping.unref();

  const openDb = db;
  const close = async () => {
    try {
      clearInterval(housekeeping);
      // Recorders finish their files while the SFU is still up; composites resume on the next start.
      await ctx.recordings.close();
      ctx.bus.closeAll();
      ctx.lobby.close();
      await app?.close();
      await sfu?.stop();
      await openDb.close();
      await shared?.close();
    } finally {
      lock.release();
    }
  };

  try {
    app = await buildApp(ctx, opts.authRateLimitPerMinute ? { authRateLimitPerMinute: opts.authRateLimitPerMinute } : {});
    const address = await app.listen({ host, port: opts.port ?? 0 });
    const port = app.server.address();
    const local =
      typeof port === 'object' && port
        ? `http://${wildcard(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port.port}`
        : address;
    const url = opts.publicUrl ?? local;
    settings.publicUrl = url;

    if (!opts.livekit) {
      const turn = await resolveTurn(
        opts.turn,
        { sfuHost, ...(opts.sfuNodeIp ? { nodeIp: opts.sfuNodeIp } : {}), publicUrl: url, dataDir: opts.dataDir },
        log,
      );
      sfu = await launchSfu({
        binary: livekitBinary!,
        runDir: lock.runDir,
        keys,
        bindAddress: sfuHost,
        ...(sfuHttpPort ? { httpPort: sfuHttpPort } : {}),
        ...(opts.sfuNodeIp ? { nodeIp: opts.sfuNodeIp } : {}),
        ...(turn ? { turn } : {}),
        // The SFU runs beside us: it posts webhooks over loopback, whatever the public URL is.
        webhookUrl: `${local}/livekit/webhook`,
      });
      livekit.url = sfu.url;
      log.info(
        {
          sfu: sfu.url,
          sfuPid: sfu.pid,
          turn:
            turn?.kind === 'embedded' ? { domain: turn.domain, udpPort: turn.udpPort, tlsPort: turn.tlsPort } : (turn?.servers ?? 'off'),
        },
        'embedded SFU started',
      );
    }
    void loadPresence(ctx);
    void ctx.recordings.checkStorage();
    void ctx.recordings.recover().catch((err: unknown) => log.error({ err }, 'unfinished recordings not recovered'));
    if (setupCode) log.warn({ setupCode }, `first run: finish setup with the one-time code ${setupCode}`);
    log.info(
      {
        url,
        livekitUrl: clientLivekitUrl,
        ...(nodeUrls.nodeUrls ? { livekitNodes: nodeUrls.nodeUrls } : {}),
        database: db.dialect,
        sharedState: shared ? 'redis' : 'memory',
        dataDir: opts.dataDir,
      },
      'team server ready',
    );

    return {
      url,
      livekitUrl: clientLivekitUrl,
      livekit,
      ...(sfu ? { sfu } : {}),
      app,
      ...(setupCode ? { setupCode } : {}),
      context: ctx,
      close,
    };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
