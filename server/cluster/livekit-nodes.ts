/**
 * The LiveKit nodes of a cluster the team server hands out to clients, when the operator lists them
 * (LIVEKIT_NODE_URLS) instead of putting one load-balanced URL in front. Each join gets the next
 * node that answers LiveKit's health check, in turn, so people spread over the nodes and a node that
 * went away stops being handed out within a second; the nodes share one Redis, so people on
 * different nodes still meet in one room.
 */
export interface NodeHealth {
  url: string;
  healthy: boolean;
  checkedAt: number;
}

export interface LivekitNodesOptions {
  /** A node's last answer is trusted this long before it is asked again (default 1 s). */
  freshMs?: number;
  /** How long a health check may take (default 800 ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const httpOf = (url: string) => url.replace(/^ws/, 'http');

export class LivekitNodes {
  private readonly health: NodeHealth[];
  private next = 0;
  private readonly freshMs: number;
  private readonly timeoutMs: number;
  private readonly fetcher: typeof fetch;
  private checking: Promise<void> | undefined;

  constructor(
    readonly urls: readonly string[],
    opts: LivekitNodesOptions = {},
  ) {
    if (!urls.length) throw new Error('LivekitNodes needs at least one URL');
    this.health = urls.map((url) => ({ url, healthy: true, checkedAt: 0 }));
    this.freshMs = opts.freshMs ?? 1_000;
    this.timeoutMs = opts.timeoutMs ?? 800;
    this.fetcher = opts.fetch ?? fetch;
  }

  /** The node for the next client: the next healthy one in turn, or (none healthy) the next one at all. */
  async pick(now = Date.now()): Promise<string> {
    if (this.health.some((h) => now - h.checkedAt >= this.freshMs)) await this.check();
    const n = this.health.length;
    for (let i = 0; i < n; i++) {
      const h = this.health[(this.next + i) % n]!;
      if (h.healthy) {
        this.next = (this.next + i + 1) % n;
        return h.url;
      }
    }
    const h = this.health[this.next % n]!;
    this.next = (this.next + 1) % n;
    return h.url;
  }

  snapshot(): NodeHealth[] {
    return this.health.map((h) => ({ ...h }));
  }

  /** Asks every node at once; concurrent callers share one round. */
  check(): Promise<void> {
    this.checking ??= Promise.all(this.health.map((h) => this.checkOne(h))).then(
      () => {
        this.checking = undefined;
      },
      () => {
        this.checking = undefined;
      },
    );
    return this.checking;
  }

  private async checkOne(h: NodeHealth): Promise<void> {
    try {
      // livekit-server answers 200 "OK" on / while its node stats are current.
      const res = await this.fetcher(httpOf(h.url), { signal: AbortSignal.timeout(this.timeoutMs) });
      h.healthy = res.ok;
      await res.body?.cancel();
    } catch {
      h.healthy = false;
    }
    h.checkedAt = Date.now();
  }
}
