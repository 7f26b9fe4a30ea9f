/**
 * Server settings from environment variables and/or a JSON config file, validated once at start.
 * Every bad value yields its own line naming the variable, so an operator fixes them all in one go.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseTurnUrl } from './sfu/turn-config';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).transform((u) => u.replace(/\/+$/, ''));
const wsUrl = z
  .url({ protocol: /^(wss?|https?)$/, error: 'must be a ws://, wss://, http:// or https:// URL' })
  .transform((u) => u.replace(/\/+$/, ''));
/**
 * Which X-Forwarded-For hops to believe: the proxies' addresses (or ranges, or proxy-addr's names
 * loopback/linklocal/uniquelocal), or how many proxies stand in front. Never "every hop": with that,
 * any client picks its own address and walks past the per-address limits.
 */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(PROXY_NAMES)]);
const trustedProxies = z.union([z.boolean(), z.number(), z.string()]).transform((v, c): false | number | string[] => {
  const text = String(v).trim().toLowerCase();
  if (v === false || ['false', '0', 'no', 'off', ''].includes(text)) return false;
  if (v === true || ['true', 'yes', 'on'].includes(text)) {
    c.addIssue({
      code: 'custom',
      message:
        'true would trust every X-Forwarded-For hop; give the proxy addresses (e.g. 127.0.0.1) or the number of proxies in front (e.g. 1)',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops >= 1 && hops <= 10) return hops;
    c.addIssue({ code: 'custom', message: 'a hop count must be 1..10' });
    return z.NEVER;
  }
  const list = text.split(',').map((a) => a.trim());
  const bad = list.filter((a) => !proxyAddress.safeParse(a).success);
  if (bad.length) {
    c.addIssue({ code: 'custom', message: `not an address, range or ${PROXY_NAMES.join('/')}: ${bad.join(', ')}` });
    return z.NEVER;
  }
  return list;
});
/** A comma-separated list in the environment, an array in the config file. */
const listOf = <T extends z.ZodType<string, string>>(item: T, max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(max));
const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL (postgres://user:password@host:5432/database)' })
  .refine((u) => new URL(u).pathname.length > 1, 'must name the database (postgres://user:password@host:5432/parley)');
const redisUrl = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL (redis://:password@host:6379/0)' });

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be an integer ${min}..${max}` })
    .int(`must be an integer ${min}..${max}`)
    .min(min, `must be an integer ${min}..${max}`)
    .max(max, `must be an integer ${min}..${max}`);

const origin = z.string().regex(/^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/i, 'each must be an origin like https://meet.example.com');
/** Comma-separated in the environment, an array in the config file. */
const originList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
  .pipe(z.array(origin).max(50));

/** External TURN URLs, comma-separated in the environment, an array in the config file. */
const turnUrlList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((u) => u.trim()).filter(Boolean))
  .superRefine((list, c) => {
    for (const u of list) {
      try {
        parseTurnUrl(u);
      } catch (err) {
        c.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }
  })
  .pipe(z.array(z.string()).min(1).max(10));

/** Each key, its environment variable, and its schema. The docs table in docs/server.md mirrors this. */
export const SETTINGS = {
  dataDir: { env: 'DATA_DIR', schema: z.string().min(1) },
  host: { env: 'HOST', schema: z.string().min(1) },
  port: { env: 'PORT', schema: intIn(0, 65535) },
  publicUrl: { env: 'PUBLIC_URL', schema: httpUrl },
  serverName: { env: 'SERVER_NAME', schema: z.string().trim().min(1).max(64) },
  livekitUrl: { env: 'LIVEKIT_URL', schema: wsUrl },
  livekitApiKey: { env: 'LIVEKIT_API_KEY', schema: z.string().min(3).max(256) },
  livekitApiSecret: { env: 'LIVEKIT_API_SECRET', schema: z.string().min(32, 'must be at least 32 characters').max(512) },
  livekitPublicUrl: { env: 'LIVEKIT_PUBLIC_URL', schema: wsUrl },
  livekitNodeUrls: { env: 'LIVEKIT_NODE_URLS', schema: listOf(wsUrl, 64) },
  databaseUrl: { env: 'DATABASE_URL', schema: postgresUrl },
  redisUrl: { env: 'REDIS_URL', schema: redisUrl },
  livekitBinary: { env: 'LIVEKIT_SERVER_BIN', schema: z.string().min(1) },
  sfuHost: { env: 'SFU_HOST', schema: z.string().min(1) },
  sfuNodeIp: { env: 'SFU_NODE_IP', schema: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address' }) },
  turn: { env: 'TURN', schema: z.enum(['on', 'off'], { error: 'must be on or off' }) },
  turnDomain: {
    env: 'TURN_DOMAIN',
    schema: z.union([z.ipv4(), z.ipv6(), z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i)], {
      error: 'must be a domain name or IP address',
    }),
  },
  turnUdpPort: { env: 'TURN_UDP_PORT', schema: intIn(0, 65535) },
  turnTlsPort: { env: 'TURN_TLS_PORT', schema: intIn(0, 65535) },
  turnCertFile: { env: 'TURN_CERT_FILE', schema: z.string().min(1) },
  turnKeyFile: { env: 'TURN_KEY_FILE', schema: z.string().min(1) },
  turnServers: { env: 'TURN_SERVERS', schema: turnUrlList },
  turnSecret: { env: 'TURN_SECRET', schema: z.string().min(16, 'must be at least 16 characters').max(512) },
  turnTtlSeconds: { env: 'TURN_TTL_SECONDS', schema: intIn(60, 7 * 86_400) },
  sessionTtlHours: { env: 'SESSION_TTL_HOURS', schema: intIn(1, 24 * 365) },
  trustProxy: { env: 'TRUST_PROXY', schema: trustedProxies },
  metricsToken: { env: 'METRICS_TOKEN', schema: z.string().min(16, 'must be at least 16 characters') },
  rateLimitPerMinute: { env: 'RATE_LIMIT_PER_MINUTE', schema: intIn(10, 1_000_000) },
  webClientDir: { env: 'WEB_CLIENT_DIR', schema: z.string().min(1) },
  corsOrigins: { env: 'CORS_ORIGINS', schema: originList },
  updateFeedUrl: { env: 'UPDATE_FEED_URL', schema: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).max(2048) },
  logLevel: { env: 'LOG_LEVEL', schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }) },
  recordingMinFreeMb: { env: 'RECORDING_MIN_FREE_MB', schema: intIn(0, 10_000_000) },
  recordingsS3Bucket: {
    env: 'RECORDINGS_S3_BUCKET',
    schema: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  },
  recordingsS3Region: { env: 'RECORDINGS_S3_REGION', schema: z.string().min(1).max(64) },
  recordingsS3Endpoint: { env: 'RECORDINGS_S3_ENDPOINT', schema: httpUrl },
  recordingsS3AccessKeyId: { env: 'RECORDINGS_S3_ACCESS_KEY_ID', schema: z.string().min(1).max(256) },
  recordingsS3SecretAccessKey: { env: 'RECORDINGS_S3_SECRET_ACCESS_KEY', schema: z.string().min(1).max(512) },
  recordingsS3PathStyle: { env: 'RECORDINGS_S3_PATH_STYLE', schema: z.stringbool() },
  recordingsS3Prefix: {
    env: 'RECORDINGS_S3_PREFIX',
    schema: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9!_.*'()/-]*$/, "letters, digits and !_.*'()/- only"),
  },
} as const;

type SettingKey = keyof typeof SETTINGS;

/** Never echoed in an error line: they are or may hold a password. */
const SECRET_VALUES = new Set<SettingKey>([
  'livekitApiSecret',
  'metricsToken',
  'databaseUrl',
  'redisUrl',
  'turnSecret',
  'recordingsS3SecretAccessKey',
]);
export type ServerSettings = { [K in SettingKey]?: z.output<(typeof SETTINGS)[K]['schema']> };

export interface LoadedConfig {
  settings: ServerSettings;
  /** Where each value came from, for the startup log (never the values: some are secrets). */
  sources: Partial<Record<SettingKey, 'env' | 'file'>>;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads the config file (`configFile`, from --config, else PARLEY_CONFIG; JSON with the camelCase
 * keys of SETTINGS) and then the environment, which wins. Throws one ConfigError listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, configFile?: string): LoadedConfig {
  const problems: string[] = [];
  const raw: Partial<Record<SettingKey, unknown>> = {};
  const sources: LoadedConfig['sources'] = {};

  const file = configFile ?? env.PARLEY_CONFIG;
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must hold a JSON object');
      for (const [k, v] of Object.entries(parsed)) {
        if (!(k in SETTINGS)) {
          problems.push(`${file}: unknown setting "${k}" (known: ${Object.keys(SETTINGS).join(', ')})`);
          continue;
        }
        raw[k as SettingKey] = v;
        sources[k as SettingKey] = 'file';
      }
    } catch (err) {
      problems.push(`config file ${file}: ${(err as Error).message}`);
    }
  }
  for (const [key, def] of Object.entries(SETTINGS) as [SettingKey, (typeof SETTINGS)[SettingKey]][]) {
    const value = env[def.env];
    if (value !== undefined && value !== '') {
      raw[key] = value;
      sources[key] = 'env';
    }
  }

  const settings: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(SETTINGS) as [SettingKey, (typeof SETTINGS)[SettingKey]][]) {
    if (raw[key] === undefined) continue;
    const result = def.schema.safeParse(raw[key]);
    const name = sources[key] === 'env' ? def.env : key;
    if (result.success) settings[key] = result.data;
    else
      problems.push(
        `${name}: ${result.error.issues[0]?.message ?? 'invalid'}${SECRET_VALUES.has(key) ? '' : ` (got ${JSON.stringify(raw[key])})`}`,
      );
  }

  const lk = [settings.livekitUrl, settings.livekitApiKey, settings.livekitApiSecret].filter((v) => v !== undefined).length;
  if (lk > 0 && lk < 3) {
    problems.push(
      'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET: give all three to use an existing LiveKit, or none for the embedded SFU',
    );
  }
  if (settings.livekitNodeUrls !== undefined && settings.livekitUrl === undefined) {
    problems.push(
      'LIVEKIT_NODE_URLS: list the nodes of an existing LiveKit cluster; give LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET too',
    );
  }
  if ((settings.turnServers === undefined) !== (settings.turnSecret === undefined)) {
    problems.push('TURN_SERVERS and TURN_SECRET: an external TURN needs both (its URLs and its static-auth-secret)');
  }
  if ((settings.turnCertFile === undefined) !== (settings.turnKeyFile === undefined)) {
    problems.push('TURN_CERT_FILE and TURN_KEY_FILE: give both, or neither for a certificate made at first run');
  }
  const s3 = [settings.recordingsS3Bucket, settings.recordingsS3AccessKeyId, settings.recordingsS3SecretAccessKey];
  if (s3.some((v) => v !== undefined) && !s3.every((v) => v !== undefined)) {
    problems.push(
      'RECORDINGS_S3_BUCKET, RECORDINGS_S3_ACCESS_KEY_ID and RECORDINGS_S3_SECRET_ACCESS_KEY: give all three to keep recordings in a bucket, or none for the data dir',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return { settings: settings as ServerSettings, sources };
}

/** The directory holding the package.json named "parley", found from this module whether bundled or not. */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'parley') return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
