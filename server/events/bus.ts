import type { ServerEvent } from '@contracts/api';

export interface Subscriber {
  userId: string;
  sessionId: string;
  send(event: ServerEvent): void;
  /** Ends the stream (session revoked, user disabled, server closing). */
  close(): void;
}

/** Delivers server events to the signed-in users' open event streams. */
export class EventBus {
  private readonly subs = new Set<Subscriber>();

  subscribe(sub: Subscriber): () => void {
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  get size(): number {
    return this.subs.size;
  }

  toUsers(userIds: Iterable<string>, event: ServerEvent): void {
    const ids = new Set(userIds);
    for (const s of this.subs) if (ids.has(s.userId)) s.send(event);
  }

  toAll(event: ServerEvent): void {
    for (const s of this.subs) s.send(event);
  }

  closeUser(userId: string): void {
    for (const s of [...this.subs]) if (s.userId === userId) s.close();
  }

  closeSession(sessionId: string): void {
    for (const s of [...this.subs]) if (s.sessionId === sessionId) s.close();
  }

  closeAll(): void {
    for (const s of [...this.subs]) s.close();
  }
}
