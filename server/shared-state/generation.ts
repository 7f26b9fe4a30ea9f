import type { SharedRedis } from './redis';

/**
 * A counter every write to some cached data bumps. A cache keeps, with each value, the generation
 * read *before* the value was loaded, and trusts the value only while that is still the current
 * one: a write on any instance invalidates every instance's copy at once, and a load racing a
 * write can never store old data under the new generation.
 */
export interface Generation {
  /** The current generation; undefined when it cannot be known (the cache is then bypassed). */
  current(): Promise<number | undefined>;
  bump(): Promise<void>;
}

/** One instance: a counter in memory. */
export class LocalGeneration implements Generation {
  private n = 0;

  async current(): Promise<number> {
    return this.n;
  }

  async bump(): Promise<void> {
    this.n++;
  }
}

/** Several instances: a counter in Redis, read on each cache lookup (one round trip, no database query). */
export class RedisGeneration implements Generation {
  private readonly key: string;

  constructor(
    private readonly redis: SharedRedis,
    name: string,
  ) {
    this.key = `${redis.prefix}gen:${name}`;
  }

  async current(): Promise<number | undefined> {
    try {
      return Number((await this.redis.cmd.get(this.key)) ?? 0);
    } catch {
      return undefined;
    }
  }

  async bump(): Promise<void> {
    try {
      await this.redis.cmd.incr(this.key);
    } catch {
      // The write has committed; with Redis out of reach the other instances' copies end with
      // their lifetime (seconds) instead of at once. Failing the request would not undo the write.
    }
  }
}
