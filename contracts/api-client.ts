/**
 * Typed client for the team server API, for every caller: the web client, the desktop app, tests and
 * benchmarks. Uses only the global fetch and ReadableStream (browser, Electron and Node 20 alike) and
 * the contract; no node or DOM-only imports.
 */
import {
  ErrorBody,
  type CreateGuestLinkRequest,
  type CreateInviteRequest,
  type CreateRoomRequest,
  type ErrorCode,
  type GuestJoinResponse,
  type GuestLink,
  type Invite,
  type JoinRequest,
  type JoinResponse,
  type LobbyList,
  type LoginRequest,
  type MeetingList,
  type MeetingQuery,
  type Readiness,
  type RegisterRequest,
  type Room,
  type RoomList,
  type ServerEvent,
  type ServerInfo,
  type SessionResponse,
  type SetupRequest,
  type TicketStatus,
  type TrackSourceName,
  type UpdateRoomRequest,
  type UpdateUserRequest,
  type User,
  type UserList,
} from './api';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** The team server's origin, e.g. https://meet.example.com (no trailing /api). */
  baseUrl: string;
  /** Session token; settable later with setToken. */
  token?: string | undefined;
  /** For tests and non-browser callers; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface EventStreamOptions {
  /** Called on a fatal error (401/403: the session ended) and on every dropped connection. */
  onError?: (err: ApiError) => void;
  /** Called each time the stream is (re)connected. */
  onOpen?: () => void;
  /** Reconnect after a dropped connection (not after 401/403). Default true. */
  reconnect?: boolean;
  /** Delay before reconnecting, ms (default 2000). */
  retryMs?: number;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const seg = (s: string) => encodeURIComponent(s);

export function createApiClient(opts: ApiClientOptions) {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let token = opts.token;

  function headers(hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (hasBody) h['content-type'] = 'application/json';
    if (token) h.authorization = `Bearer ${token}`;
    return h;
  }

  async function toError(res: Response): Promise<ApiError> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const parsed = ErrorBody.safeParse(body);
    if (parsed.success) return new ApiError(res.status, parsed.data.error.code, parsed.data.error.message);
    return new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', `HTTP ${res.status}`);
  }

  async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: headers(body !== undefined),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'NETWORK', `cannot reach ${base}: ${(err as Error).message}`);
    }
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  function query(params: Record<string, string | number | undefined>): string {
    const q = Object.entries(params)
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    return q ? `?${q}` : '';
  }

  /**
   * Subscribes to the signed-in user's events over SSE (fetch streaming: EventSource cannot send an
   * Authorization header). Returns close(), which stops the stream and any reconnect.
   */
  function events(onEvent: (event: ServerEvent) => void, options: EventStreamOptions = {}): () => void {
    const controller = new AbortController();
    let closed = false;
    const retryMs = options.retryMs ?? 2000;

    const run = async (): Promise<void> => {
      while (!closed) {
        let fatal = false;
        try {
          const res = await doFetch(`${base}/api/v1/events`, {
            headers: { ...headers(false), accept: 'text/event-stream' },
            signal: controller.signal,
          });
          if (!res.ok || !res.body) {
            const err = await toError(res);
            fatal = res.status === 401 || res.status === 403;
            throw err;
          }
          options.onOpen?.();
          await readSse(res.body, (_type, data) => {
            if (!data) return;
            try {
              onEvent(JSON.parse(data) as ServerEvent);
            } catch {
              // A malformed frame is skipped, not fatal: the next one may be fine.
            }
          });
          if (!closed) options.onError?.(new ApiError(0, 'NETWORK', 'event stream ended'));
        } catch (err) {
          if (closed) return;
          options.onError?.(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', (err as Error).message));
          if (fatal) return;
        }
        if (options.reconnect === false || closed) return;
        await new Promise<void>((r) => setTimeout(r, retryMs));
      }
    };
    void run();
    return () => {
      closed = true;
      controller.abort();
    };
  }

  return {
    setToken(next: string | undefined): void {
      token = next;
    },
    get token(): string | undefined {
      return token;
    },

    // server
    server: () => request<ServerInfo>('GET', '/api/v1/server'),
    healthz: () => request<{ ok: boolean }>('GET', '/healthz'),
    readyz: () => request<Readiness>('GET', '/readyz'),

    // setup and sessions: these store the returned token in the client
    async setup(body: SetupRequest): Promise<SessionResponse> {
      const s = await request<SessionResponse>('POST', '/api/v1/setup', body);
      token = s.token;
      return s;
    },
    async login(body: LoginRequest): Promise<SessionResponse> {
      const s = await request<SessionResponse>('POST', '/api/v1/sessions', body);
      token = s.token;
      return s;
    },
    async logout(): Promise<void> {
      await request<void>('DELETE', '/api/v1/sessions/current');
      token = undefined;
    },
    async register(body: RegisterRequest): Promise<SessionResponse> {
      const s = await request<SessionResponse>('POST', '/api/v1/users', body);
      token = s.token;
      return s;
    },

    // members
    me: () => request<User>('GET', '/api/v1/me'),
    createInvite: (body: CreateInviteRequest = {}) => request<Invite>('POST', '/api/v1/invites', body),
    listUsers: () => request<UserList>('GET', '/api/v1/users'),
    updateUser: (userId: string, body: UpdateUserRequest) => request<User>('PATCH', `/api/v1/users/${seg(userId)}`, body),

    // rooms
    listRooms: () => request<RoomList>('GET', '/api/v1/rooms'),
    createRoom: (body: CreateRoomRequest) => request<Room>('POST', '/api/v1/rooms', body),
    getRoom: (room: string) => request<Room>('GET', `/api/v1/rooms/${seg(room)}`),
    updateRoom: (room: string, body: UpdateRoomRequest) => request<Room>('PATCH', `/api/v1/rooms/${seg(room)}`, body),
    deleteRoom: (room: string) => request<void>('DELETE', `/api/v1/rooms/${seg(room)}`),
    joinRoom: (room: string, body: JoinRequest = {}) => request<JoinResponse>('POST', `/api/v1/rooms/${seg(room)}/join`, body),

    // host controls
    muteParticipant: (room: string, identity: string, source: TrackSourceName) =>
      request<void>('POST', `/api/v1/rooms/${seg(room)}/participants/${seg(identity)}/mute`, { source }),
    removeParticipant: (room: string, identity: string) =>
      request<void>('DELETE', `/api/v1/rooms/${seg(room)}/participants/${seg(identity)}`),
    lockRoom: (room: string) => request<Room>('POST', `/api/v1/rooms/${seg(room)}/lock`),
    unlockRoom: (room: string) => request<Room>('POST', `/api/v1/rooms/${seg(room)}/unlock`),
    endMeeting: (room: string) => request<void>('POST', `/api/v1/rooms/${seg(room)}/end`),

    // guests and lobby
    createGuestLink: (room: string, body: CreateGuestLinkRequest = {}) =>
      request<GuestLink>('POST', `/api/v1/rooms/${seg(room)}/guest-links`, body),
    guestJoin: (code: string, displayName: string) => request<GuestJoinResponse>('POST', '/api/v1/guest/join', { code, displayName }),
    /** Long poll: resolves when a host decides, or with {status:'waiting'} after `wait` seconds. */
    guestTicket: (ticket: string, wait?: number, signal?: AbortSignal) =>
      request<TicketStatus>('GET', `/api/v1/guest/tickets/${seg(ticket)}${query({ wait })}`, undefined, signal),
    listLobby: (room: string) => request<LobbyList>('GET', `/api/v1/rooms/${seg(room)}/lobby`),
    admitGuest: (room: string, id: string) => request<void>('POST', `/api/v1/rooms/${seg(room)}/lobby/${seg(id)}/admit`),
    denyGuest: (room: string, id: string) => request<void>('POST', `/api/v1/rooms/${seg(room)}/lobby/${seg(id)}/deny`),

    // history and events
    listMeetings: (q: MeetingQuery = {}) =>
      request<MeetingList>('GET', `/api/v1/meetings${query({ room: q.room, limit: q.limit, before: q.before })}`),
    events,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Parses a text/event-stream body, calling onFrame(type, data) per event until the stream ends. */
export async function readSse(body: ReadableStream<Uint8Array>, onFrame: (type: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let type = 'message';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length) onFrame(type, data.join('\n'));
          type = 'message';
          data = [];
        } else if (line.startsWith(':')) {
          // comment (heartbeat)
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = value;
          else if (field === 'data') data.push(value);
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
}
