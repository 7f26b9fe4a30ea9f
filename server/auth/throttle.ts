/**
 * Counts events per key in a fixed window, in memory. Used for failed logins per username (the
 * per-IP limit is @fastify/rate-limit's). Memory stays bounded: expired keys are swept, and past
 * maxKeys the oldest are dropped.
 */
export class WindowCounter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** True when key already reached the limit in the current window. */
  blocked(key: string, now = Date.now()): boolean {
    const h = this.hits.get(key);
    return !!h && h.resetAt > now && h.count >= this.limit;
  }

  /** Seconds until key is unblocked. */
  retryAfter(key: string, now = Date.now()): number {
    const h = this.hits.get(key);
    return h ? Math.max(1, Math.ceil((h.resetAt - now) / 1000)) : 0;
  }

  hit(key: string, now = Date.now()): void {
    const h = this.hits.get(key);
    if (!h || h.resetAt <= now) {
      if (this.hits.size >= this.maxKeys) this.sweep(now);
      this.hits.set(key, { count: 1, resetAt: now + this.windowMs });
    } else {
      h.count++;
    }
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  sweep(now = Date.now()): void {
    for (const [k, h] of this.hits) if (h.resetAt <= now) this.hits.delete(k);
    // Still full: drop the oldest insertions (Map keeps insertion order).
    for (const k of this.hits.keys()) {
      if (this.hits.size < this.maxKeys) break;
      this.hits.delete(k);
    }
  }
}
