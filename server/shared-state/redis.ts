import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The Redis that several team server instances share for their ephemeral state (events, lobby,
 * presence, cache generations, rate-limit counters). Two connections: one for commands, one held
 * in subscriber mode for pub/sub (a subscribed connection can run nothing else).
 */
export interface SharedRedis {
  readonly cmd: Redis;
  /** Every key and channel starts with this, so one Redis can hold several teams' servers apart. */
  readonly prefix: string;
  /** Calls handler with each message published on channel (prefixed), from any instance, this one included. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

function client(url: string, log: Logger | undefined, role: string): Redis {
  const r = new Redis(url, {
    // Commands wait for a reconnect rather than fail at once, but not forever: a request then errors.
    maxRetriesPerRequest: 3,
    connectTimeout: CONNECT_TIMEOUT_MS,
    lazyConnect: true,
    connectionName: `parley-${role}`,
  });
  let lastWarn = 0;
  r.on('error', (err: Error) => {
    // ioredis reports every failed reconnect attempt; one line per few seconds is enough.
    if (Date.now() - lastWarn < 5_000) return;
    lastWarn = Date.now();
    log?.warn({ err: err.message, role }, 'redis connection problem');
  });
  return r;
}

export async function connectRedis(url: string, log?: Logger, prefix = 'parley:'): Promise<SharedRedis> {
  const cmd = client(url, log, 'commands');
  const sub = client(url, log, 'events');
  try {
    await Promise.all([cmd.connect(), sub.connect()]);
  } catch (err) {
    cmd.disconnect();
    sub.disconnect();
    throw Object.assign(new Error(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`), { code: 'REDIS_UNAVAILABLE' });
  }
  const handlers = new Map<string, Set<(message: string) => void>>();
  sub.on('message', (channel: string, message: string) => {
    for (const h of handlers.get(channel) ?? []) h(message);
  });
  return {
    cmd,
    prefix,
    async subscribe(channel, handler) {
      const name = prefix + channel;
      let set = handlers.get(name);
      if (!set) {
        handlers.set(name, (set = new Set()));
        // ioredis re-subscribes by itself after a reconnect.
        await sub.subscribe(name);
      }
      set.add(handler);
    },
    async publish(channel, message) {
      await cmd.publish(prefix + channel, message);
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([cmd.quit(), sub.quit()]);
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
