import type { Logger } from 'pino';
import { AuthService } from './auth/auth-service';
import { LoginThrottle } from './auth/throttle';
import type { Db } from './db/database';
import { GuestLinkStore } from './db/guest-links';
import { InviteStore } from './db/invites';
import { MeetingStore } from './db/meetings';
import { RoomStore } from './db/rooms';
import { EventBus } from './events/bus';
import { Presence } from './events/presence';
import type { LivekitService } from './livekit/livekit-service';
import { Lobby } from './lobby/lobby';
import { Metrics } from './metrics';

/** Settings the app needs at runtime (already validated). */
export interface RuntimeSettings {
  serverName: string;
  version: string;
  /** Where people reach this server (links are built from it). */
  publicUrl: string;
  /** Sliding: a session unused this long ends. */
  sessionIdleMs: number;
  /** Fixed: every session ends this long after sign-in. */
  sessionMaxMs: number;
  /** Without it, /metrics answers loopback callers only. */
  metricsToken: string | undefined;
  rateLimitPerMinute: number;
  /** X-Forwarded-For hops to believe: the proxies' addresses, or how many there are; false for none. */
  trustProxy: false | number | string[];
  webClientDir: string | undefined;
  /** Origins besides the desktop app's that may call the API from a page (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  limits: Limits;
  /** Where the desktop app takes its updates from (UPDATE_FEED_URL); unset, it does not update itself. */
  updateFeedUrl?: string;
}

/** Per-user caps, so one account (or one stolen token) cannot exhaust the server. */
export interface Limits {
  /** Rooms one user may own. */
  roomsPerUser: number;
  /** Rooms one user may create per 10 minutes. */
  roomCreatesPer10Min: number;
  /** Open event streams per session token, and per user over all their sessions. */
  streamsPerSession: number;
  streamsPerUser: number;
}

export const DEFAULT_LIMITS: Limits = { roomsPerUser: 100, roomCreatesPer10Min: 30, streamsPerSession: 6, streamsPerUser: 20 };

/** Everything the routes share: stores, services and in-memory state. One per running server. */
export interface AppContext {
  settings: RuntimeSettings;
  log: Logger;
  db: Db;
  auth: AuthService;
  invites: InviteStore;
  rooms: RoomStore;
  meetings: MeetingStore;
  livekit: LivekitService;
  lobby: Lobby;
  bus: EventBus;
  presence: Presence;
  guestLinks: GuestLinkStore;
  /** The one-time first-run code, while no account exists. */
  setup: { code: string | undefined };
  /** Failed password checks per (username, client address). */
  loginFailures: LoginThrottle;
  metrics: Metrics;
}

export function createContext(deps: {
  settings: RuntimeSettings;
  log: Logger;
  db: Db;
  livekit: LivekitService;
  setupCode: string | undefined;
}): AppContext {
  const { db } = deps;
  const bus = new EventBus();
  const rooms = new RoomStore(db);
  const auth = new AuthService(db, { idleMs: deps.settings.sessionIdleMs, maxMs: deps.settings.sessionMaxMs });
  const lobby = new Lobby({}, (entry) => {
    bus.toUsers(hostIds(auth, rooms, entry.room), { type: 'lobby.resolved', room: entry.room, id: entry.id, outcome: 'expired' });
  });
  return {
    settings: deps.settings,
    log: deps.log,
    db,
    auth,
    invites: new InviteStore(db),
    rooms,
    meetings: new MeetingStore(db),
    livekit: deps.livekit,
    lobby,
    bus,
    presence: new Presence(),
    guestLinks: new GuestLinkStore(db),
    setup: { code: deps.setupCode },
    loginFailures: new LoginThrottle(),
    metrics: new Metrics(),
  };
}

/** The users who host room: its owner and every enabled admin. */
export function hostIds(auth: AuthService, rooms: RoomStore, room: string): string[] {
  const ids = auth.users
    .list()
    .filter((u) => u.role === 'admin' && !u.disabled)
    .map((u) => u.id);
  const owner = rooms.get(room)?.owner.id;
  if (owner && !ids.includes(owner) && !auth.users.byId(owner)?.disabled) ids.push(owner);
  return ids;
}
