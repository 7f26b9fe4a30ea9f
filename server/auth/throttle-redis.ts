import type { SharedRedis } from '../shared-state/redis';
import type { LoginThrottleOptions, SignInThrottle } from './throttle';

/**
 * The sign-in backoff of throttle.ts, kept in Redis so every instance behind the load balancer
 * counts the same failures: a guesser cannot spread tries over instances. One hash per key, updated
 * by one script (atomic), expiring by itself once the key would be forgotten.
 */
const FAIL = `
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local base = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
local forget = tonumber(ARGV[5])
local blocked = 0
if count >= free then
  blocked = now + math.min(max, base * 2 ^ (count - free))
end
redis.call('HSET', KEYS[1], 'last', now, 'blockedUntil', blocked)
redis.call('PEXPIRE', KEYS[1], math.max(blocked - now, forget))
return count
`;

export class RedisLoginThrottle implements SignInThrottle {
  private readonly free: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly forgetMs: number;

  constructor(
    private readonly redis: SharedRedis,
    opts: LoginThrottleOptions = {},
  ) {
    this.free = opts.freeFailures ?? 5;
    this.baseMs = opts.baseDelayMs ?? 30_000;
    this.maxMs = opts.maxDelayMs ?? 15 * 60_000;
    this.forgetMs = opts.forgetMs ?? 60 * 60_000;
  }

  private key(key: string): string {
    return `${this.redis.prefix}signin:${key}`;
  }

  async retryAfter(key: string, now = Date.now()): Promise<number> {
    const until = Number((await this.redis.cmd.hget(this.key(key), 'blockedUntil')) ?? 0);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  async fail(key: string, now = Date.now()): Promise<void> {
    await this.redis.cmd.eval(FAIL, 1, this.key(key), now, this.free, this.baseMs, this.maxMs, this.forgetMs);
  }

  async succeed(key: string): Promise<void> {
    await this.redis.cmd.del(this.key(key));
  }

  async sweep(): Promise<void> {
    // Redis expires each key by itself.
  }
}
