// The team server's event stream (rooms, presence, lobby), one connection shared by home and the meeting.
import type { ApiClient } from '@contracts/api-client';
import type { ServerEvent } from '@contracts/api';

type Listener = (event: ServerEvent) => void;

/** One SSE connection per signed-in session, fanned out to whoever listens (home, meeting). */
export class ServerEventStream {
  #listeners = new Set<Listener>();
  #close: (() => void) | null = null;

  constructor(private readonly api: ApiClient) {}

  start(onFatal: () => void): void {
    if (this.#close) return;
    this.#close = this.api.events(
      (event) => {
        for (const l of this.#listeners) l(event);
      },
      {
        onError: (err) => {
          if (err.status === 401) onFatal();
        },
      },
    );
  }

  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stop(): void {
    this.#close?.();
    this.#close = null;
    this.#listeners.clear();
  }
}
