// Thin use of the team server's own typed client: one instance per signed-in server, a shared
// event stream, and the host controls a meeting needs.
import { createApiClient, ApiError, type ApiClient } from '@contracts/api-client';
import type { LobbyEntry, ServerEvent } from '@contracts/api';
import type { HostPort } from '../state/meeting.svelte';

export { ApiError, type ApiClient };
export type * from '@contracts/api';

export function apiClient(serverUrl: string, token: string | null): ApiClient {
  return createApiClient({ baseUrl: serverUrl, token: token ?? undefined });
}

type Listener = (event: ServerEvent) => void;

/** One SSE connection per signed-in session, fanned out to whoever listens (home, meeting). */
export class EventBus {
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

export function hostPort(api: ApiClient, room: string, bus: EventBus | null): HostPort {
  return {
    mute: (identity, source) => api.muteParticipant(room, identity, source),
    remove: (identity) => api.removeParticipant(room, identity),
    async setLocked(locked) {
      await (locked ? api.lockRoom(room) : api.unlockRoom(room));
    },
    end: () => api.endMeeting(room),
    admit: (id) => api.admitGuest(room, id),
    deny: (id) => api.denyGuest(room, id),
    async isLocked() {
      return (await api.getRoom(room)).options.locked;
    },
    watchLobby(run) {
      let waiting: LobbyEntry[] = [];
      let closed = false;
      const refresh = (): void => {
        void api
          .listLobby(room)
          .then((list) => {
            if (closed) return;
            waiting = list.waiting;
            run(waiting);
          })
          .catch(() => undefined);
      };
      const stopListening = bus?.listen((event) => {
        if (event.type === 'lobby.waiting' && event.room === room) {
          if (!waiting.some((e) => e.id === event.entry.id)) waiting = [...waiting, event.entry];
          run(waiting);
        } else if (event.type === 'lobby.resolved' && event.room === room) {
          waiting = waiting.filter((e) => e.id !== event.id);
          run(waiting);
        } else if (event.type === 'ready') {
          refresh(); // (Re)connected: anything may have changed while the stream was down.
        }
      });
      run(waiting);
      refresh();
      return () => {
        closed = true;
        stopListening?.();
      };
    },
  };
}

/**
 * A per-tab device tag: two tabs or windows of one user get two identities instead of kicking each
 * other out, while a reload of the same tab replaces its own stale connection. */
export function deviceTag(): string {
  const key = 'parley.device';
  try {
    const existing = sessionStorage.getItem(key);
    if (existing && /^[A-Za-z0-9_-]{4,32}$/.test(existing)) return existing;
    const tag = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
    sessionStorage.setItem(key, tag);
    return tag;
  } catch {
    return crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  }
}
