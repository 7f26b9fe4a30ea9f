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

  /** Open streams of one session and of one user (for the per-token and per-user caps). */
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
