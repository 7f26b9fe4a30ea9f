/**
 * Recently authenticated principals by session-token hash, so a signed-in client's burst of requests
 * (a join, its retries, the room list) does not read the session and the user from the database for
 * each one. Correctness rests on invalidation, not on the short lifetime: every write that can end a
 * session or change what a principal may do (sign-out, revocation, disabling, role change, pruning)
 * bumps the principals generation (shared by every instance when several run: see
 * shared-state/generation.ts), and an entry counts only under the generation it was loaded in; the
 * local copy is also cleared at once. The lifetime only bounds what no store call sees (a hand edit
 * of the database while the server runs). Only successful lookups are kept, so unknown tokens
 * cannot fill it.
 */
export class PrincipalCache<T extends { session: { expiresAt: number } }> {
  private readonly entries = new Map<string, { value: T; until: number; generation: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now: number, generation = 0): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // A session that has expired meanwhile is as gone as one that was revoked.
    if (e.until <= now || e.value.session.expiresAt <= now || e.generation !== generation) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, now: number, generation = 0): void {
    // Bounded: past the limit the oldest entry goes (Map keeps insertion order).
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: now + this.ttlMs, generation });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
