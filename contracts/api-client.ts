/**
 * Typed client for the team server API, for every caller: the web client, the desktop app, tests and
 * benchmarks. Uses only the global fetch and ReadableStream (browser, Electron and Node 20 alike) and
 * the contract; no node or DOM-only imports.
 */
import {
  ErrorBody,
  ROUTES,
  routePath,
  type ChangePasswordRequest,
  type CreateGuestLinkRequest,
  type CreateInviteRequest,
  type CreateRoomRequest,
  type ErrorCode,
  type JoinRequest,
  type LoginRequest,
  type MeetingQuery,
  type RecordingQuery,
  type RegisterRequest,
  type RoomListQuery,
  type RouteInput,
  type RouteName,
  type RouteOutput,
  type ServerEvent,
  type SessionResponse,
  type SetupRequest,
  type TrackSourceName,
  type UpdateRoomRequest,
  type UpdateUserRequest,
  type Room,
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

  /**
   * Calls route `name` of the shared route table: its method and path (params filled in, query
   * encoded) come from there, and so does the type of what it answers, so no path or type is
   * written twice.
   */
  async function call<N extends RouteName>(
    name: N,
    input: RouteInput<(typeof ROUTES)[N]> = {} as RouteInput<(typeof ROUTES)[N]>,
    signal?: AbortSignal,
  ): Promise<RouteOutput<(typeof ROUTES)[N]>> {
    const spec = ROUTES[name];
    const { params, query: q, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
    const url = `${base}${routePath(spec, params)}${q ? query(q) : ''}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: spec.method,
        headers: headers(body !== undefined),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'NETWORK', `cannot reach ${base}: ${(err as Error).message}`);
    }
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as RouteOutput<(typeof ROUTES)[N]>;
    return (await res.json()) as RouteOutput<(typeof ROUTES)[N]>;
  }

  function query(params: Record<string, unknown>): string {
    const q = Object.entries(params)
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== null)
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
          const res = await doFetch(`${base}${ROUTES.events.path}`, {
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

  async function signedIn(s: Promise<SessionResponse>): Promise<SessionResponse> {
    const session = await s;
    token = session.token;
    return session;
  }

  /** Every room, page after page (the listing is paged so no one answer grows without bound). */
  async function listAllRooms(): Promise<{ rooms: Room[] }> {
    const rooms: Room[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await call('listRooms', { query: { limit: 200, ...(after ? { after } : {}) } });
      rooms.push(...page.rooms);
      if (!page.next) return { rooms };
      after = page.next;
    }
  }

  return {
    setToken(next: string | undefined): void {
      token = next;
    },
    get token(): string | undefined {
      return token;
    },
    /** Any route of the table by name, for callers that go beyond the helpers below. */
    call,

    // server
    server: () => call('server'),
    healthz: () => call('healthz'),
    readyz: () => call('readyz'),

    // setup and sessions: these store the returned token in the client
    setup: (body: SetupRequest) => signedIn(call('setup', { body })),
    login: (body: LoginRequest) => signedIn(call('login', { body })),
    register: (body: RegisterRequest) => signedIn(call('register', { body })),
    async logout(): Promise<void> {
      await call('logout');
      token = undefined;
    },
    listSessions: () => call('listSessions'),
    revokeSession: (sessionId: string) => call('revokeSession', { params: { sessionId } }),
    changePassword: (body: ChangePasswordRequest) => call('changePassword', { body }),

    // members
    me: () => call('me'),
    createInvite: (body: CreateInviteRequest = {}) => call('createInvite', { body }),
    listInvites: () => call('listInvites'),
    revokeInvite: (inviteId: string) => call('revokeInvite', { params: { inviteId } }),
    listUsers: () => call('listUsers'),
    updateUser: (userId: string, body: UpdateUserRequest) => call('updateUser', { params: { userId }, body }),

    // rooms
    listRooms: (q: RoomListQuery = {}) => call('listRooms', { query: q }),
    listAllRooms,
    createRoom: (body: CreateRoomRequest) => call('createRoom', { body }),
    getRoom: (room: string) => call('getRoom', { params: { room } }),
    updateRoom: (room: string, body: UpdateRoomRequest) => call('updateRoom', { params: { room }, body }),
    deleteRoom: (room: string) => call('deleteRoom', { params: { room } }),
    joinRoom: (room: string, body: JoinRequest = {}) => call('joinRoom', { params: { room }, body }),

    // host controls
    muteParticipant: (room: string, identity: string, source: TrackSourceName) =>
      call('muteParticipant', { params: { room, identity }, body: { source } }),
    removeParticipant: (room: string, identity: string) => call('removeParticipant', { params: { room, identity } }),
    lockRoom: (room: string) => call('lockRoom', { params: { room } }),
    unlockRoom: (room: string) => call('unlockRoom', { params: { room } }),
    endMeeting: (room: string) => call('endMeeting', { params: { room } }),

    // guests and lobby
    createGuestLink: (room: string, body: CreateGuestLinkRequest = {}) => call('createGuestLink', { params: { room }, body }),
    listGuestLinks: (room: string) => call('listGuestLinks', { params: { room } }),
    revokeGuestLink: (room: string, linkId: string) => call('revokeGuestLink', { params: { room, linkId } }),
    guestJoin: (code: string, displayName: string) => call('guestJoin', { body: { code, displayName } }),
    /** Long poll: resolves when a host decides, or with {status:'waiting'} after `wait` seconds. */
    guestTicket: (ticket: string, wait?: number, signal?: AbortSignal) =>
      call('guestTicket', { params: { ticket }, query: wait === undefined ? {} : { wait } }, signal),
    listLobby: (room: string) => call('listLobby', { params: { room } }),
    admitGuest: (room: string, id: string) => call('admitGuest', { params: { room, ticket: id } }),
    denyGuest: (room: string, id: string) => call('denyGuest', { params: { room, ticket: id } }),

    // recordings
    roomRecording: (room: string) => call('roomRecording', { params: { room } }),
    startRecording: (room: string) => call('startRecording', { params: { room }, body: {} }),
    stopRecording: (room: string) => call('stopRecording', { params: { room }, body: {} }),
    listRecordings: (q: RecordingQuery = {}) => call('listRecordings', { query: q }),
    recordingDownload: (recordingId: string) => call('recordingDownload', { params: { recordingId }, body: {} }),
    deleteRecording: (recordingId: string) => call('deleteRecording', { params: { recordingId } }),

    // history and events
    listMeetings: (q: MeetingQuery = {}) => call('listMeetings', { query: q }),
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
