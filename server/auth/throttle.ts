export interface LoginThrottleOptions {
  /** Failures allowed before any wait (default 5). */
  freeFailures?: number;
  /** The first wait; each further failure doubles it (default 30 s). */
  baseDelayMs?: number;
  /** The longest wait (default 15 min). */
  maxDelayMs?: number;
  /** A key with no failure for this long starts over (default 1 h). */
  forgetMs?: number;
  maxKeys?: number;
}

/** Failed sign-ins per key: in memory (one instance), or in Redis where several instances share them. */
export interface SignInThrottle {
  /** Seconds to wait before key may try again; 0 when it may try now. */
  retryAfter(key: string, now?: number): Promise<number>;
  fail(key: string, now?: number): Promise<void>;
  succeed(key: string): Promise<void>;
  /** Drops what has expired (Redis expires keys by itself). */
  sweep(now?: number): Promise<void>;
}

/** The wait after `count` failures at `now`: none for the free ones, then doubling up to the longest. */
export function blockedUntil(
  count: number,
  now: number,
  o: Required<Pick<LoginThrottleOptions, 'freeFailures' | 'baseDelayMs' | 'maxDelayMs'>>,
): number {
  return count >= o.freeFailures ? now + Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (count - o.freeFailures)) : 0;
}

export function throttleKey(username: string, address: string): string {
  return `${username}\n${address}`;
}

interface Failures {
  count: number;
  last: number;
  blockedUntil: number;
}

/**
 * Failed sign-ins per (username, client address), with a wait that doubles on every failure past
 * the free ones. Keyed by the pair, not the username alone, so a stranger guessing from one address
 * slows only themselves: the owner signing in from their own address is never locked out. (The
 * per-address request limit caps how fast any one address can guess at all usernames.)
 * In memory and bounded: expired keys are swept, and past maxKeys the oldest are dropped.
 */
export class LoginThrottle implements SignInThrottle {
  private readonly failures = new Map<string, Failures>();
  private readonly free: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly forgetMs: number;
  private readonly maxKeys: number;

  constructor(opts: LoginThrottleOptions = {}) {
    this.free = opts.freeFailures ?? 5;
    this.baseMs = opts.baseDelayMs ?? 30_000;
    this.maxMs = opts.maxDelayMs ?? 15 * 60_000;
    this.forgetMs = opts.forgetMs ?? 60 * 60_000;
    this.maxKeys = opts.maxKeys ?? 50_000;
  }

  static key(username: string, address: string): string {
    return throttleKey(username, address);
  }

  async retryAfter(key: string, now = Date.now()): Promise<number> {
    const f = this.live(key, now);
    return f && f.blockedUntil > now ? Math.ceil((f.blockedUntil - now) / 1000) : 0;
  }

  async fail(key: string, now = Date.now()): Promise<void> {
    let f = this.live(key, now);
    if (!f) {
      if (this.failures.size >= this.maxKeys) this.sweepNow(now);
      f = { count: 0, last: now, blockedUntil: 0 };
      this.failures.set(key, f);
    }
    f.count++;
    f.last = now;
    if (f.count >= this.free)
      f.blockedUntil = blockedUntil(f.count, now, { freeFailures: this.free, baseDelayMs: this.baseMs, maxDelayMs: this.maxMs });
  }

  async succeed(key: string): Promise<void> {
    this.failures.delete(key);
  }

  async sweep(now = Date.now()): Promise<void> {
    this.sweepNow(now);
  }

  private sweepNow(now: number): void {
    for (const [k, f] of this.failures) if (this.expired(f, now)) this.failures.delete(k);
    // Still full: drop the oldest insertions (Map keeps insertion order).
    for (const k of this.failures.keys()) {
      if (this.failures.size < this.maxKeys) break;
      this.failures.delete(k);
    }
  }

  private expired(f: Failures, now: number): boolean {
    return f.blockedUntil <= now && now - f.last >= this.forgetMs;
  }

  private live(key: string, now: number): Failures | undefined {
    const f = this.failures.get(key);
    if (f && this.expired(f, now)) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }
}
