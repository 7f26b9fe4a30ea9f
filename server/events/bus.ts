import type { ServerEvent } from '@contracts/api';
import type { SharedRedis } from '../shared-state/redis';

export interface Subscriber {
  userId: string;
  sessionId: string;
  send(event: ServerEvent): void;
  /** Ends the stream (session revoked, user disabled, server closing). */
  close(): void;
}

/** What one instance asks every instance to do with its own open streams. */
type Delivery =
  | { op: 'toUsers'; userIds: string[]; event: ServerEvent }
  | { op: 'toAll'; event: ServerEvent }
  | { op: 'closeUser'; userId: string }
  | { op: 'closeSession'; sessionId: string };

const CHANNEL = 'events';

/**
 * Delivers server events to the signed-in users' open event streams. Streams are held by the
 * instance the client reached; with several instances each delivery is published through Redis
 * and every instance (this one too) hands it to the streams it holds, so a guest knocking on one
 * instance reaches a host listening on another. Alone, deliveries go straight to the local streams.
 */
export class EventBus {
  private readonly subs = new Set<Subscriber>();
  private relay: SharedRedis | undefined;
  private onRelayError: (err: unknown) => void = () => undefined;

  /** Sends every delivery through Redis from now on (call once, at start). */
  async share(redis: SharedRedis, onError: (err: unknown) => void): Promise<void> {
    await redis.subscribe(CHANNEL, (message) => {
      try {
        this.deliver(JSON.parse(message) as Delivery);
      } catch (err) {
        onError(err);
      }
    });
    this.relay = redis;
    this.onRelayError = onError;
  }

  subscribe(sub: Subscriber): () => void {
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  /** Open streams on this instance. */
  get size(): number {
    return this.subs.size;
  }

  /** Open streams of one session and of one user on this instance (for the per-token and per-user caps). */
  countOf(sessionId: string, userId: string): { session: number; user: number } {
    let session = 0;
    let user = 0;
    for (const s of this.subs) {
      if (s.userId !== userId) continue;
      user++;
      if (s.sessionId === sessionId) session++;
    }
    return { session, user };
  }

  toUsers(userIds: Iterable<string>, event: ServerEvent): Promise<void> {
    return this.send({ op: 'toUsers', userIds: [...new Set(userIds)], event });
  }

  toAll(event: ServerEvent): Promise<void> {
    return this.send({ op: 'toAll', event });
  }

  closeUser(userId: string): Promise<void> {
    return this.send({ op: 'closeUser', userId });
  }

  closeSession(sessionId: string): Promise<void> {
    return this.send({ op: 'closeSession', sessionId });
  }

  /** Ends this instance's streams (shutting down): the clients reconnect, through the balancer, elsewhere. */
  closeAll(): void {
    for (const s of [...this.subs]) s.close();
  }

  private async send(d: Delivery): Promise<void> {
    if (!this.relay) {
      this.deliver(d);
      return;
    }
    try {
      await this.relay.publish(CHANNEL, JSON.stringify(d));
    } catch (err) {
      // Live events are best effort (clients re-read state on reconnect); this instance's own
      // streams still get theirs.
      this.onRelayError(err);
      this.deliver(d);
    }
  }

  private deliver(d: Delivery): void {
    switch (d.op) {
      case 'toUsers': {
        const ids = new Set(d.userIds);
        for (const s of this.subs) if (ids.has(s.userId)) s.send(d.event);
        return;
      }
      case 'toAll':
        for (const s of this.subs) s.send(d.event);
        return;
      case 'closeUser':
        for (const s of [...this.subs]) if (s.userId === d.userId) s.close();
        return;
      case 'closeSession':
        for (const s of [...this.subs]) if (s.sessionId === d.sessionId) s.close();
        return;
    }
  }
}
