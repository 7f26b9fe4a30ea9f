import type { Logger } from 'pino';
import { AuthService } from './auth/auth-service';
import { LoginThrottle, type SignInThrottle } from './auth/throttle';
import { RedisLoginThrottle } from './auth/throttle-redis';
import type { Db } from './db/database';
import { GuestLinkStore } from './db/guest-links';
import { InviteStore } from './db/invites';
import { MeetingStore } from './db/meetings';
import { RecordingStore } from './db/recordings';
import { RoomStore } from './db/rooms';
import { SettingsStore } from './db/settings';
import { EventBus } from './events/bus';
import { MemoryPresence, type Presence } from './events/presence';
import { RedisPresence } from './events/presence-redis';
import type { LivekitService } from './livekit/livekit-service';
import { Lobby, type LobbyStore } from './lobby/lobby';
import { RedisLobby } from './lobby/lobby-redis';
import { Metrics } from './metrics';
import { RecordingService, type RecordingSettings } from './recording/recording-service';
import { LocalGeneration, RedisGeneration } from './shared-state/generation';
import type { SharedRedis } from './shared-state/redis';

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

/**
 * Everything the routes share: stores, services and the ephemeral state. One per running server.
 * The ephemeral parts (bus, lobby, presence, cache generations, sign-in throttle) are in memory for
 * one instance and in Redis (`shared`) when several instances run behind a load balancer.
 */
export interface AppContext {
  settings: RuntimeSettings;
  log: Logger;
  db: Db;
  auth: AuthService;
  invites: InviteStore;
  rooms: RoomStore;
  meetings: MeetingStore;
  livekit: LivekitService;
  lobby: LobbyStore;
  bus: EventBus;
  presence: Presence;
  guestLinks: GuestLinkStore;
  /** The one-time first-run code lives here (shared by every instance) while no account exists. */
  settingsStore: SettingsStore;
  recordings: RecordingService;
  /** Failed password checks per (username, client address). */
  loginFailures: SignInThrottle;
  metrics: Metrics;
  /** The Redis several instances share, when configured. */
  shared: SharedRedis | undefined;
}

/** The settings key of the first-run setup code. */
export const SETUP_CODE_KEY = 'setup-code';

export async function createContext(deps: {
  settings: RuntimeSettings;
  log: Logger;
  db: Db;
  livekit: LivekitService;
  shared?: SharedRedis | undefined;
  recording: RecordingSettings;
}): Promise<AppContext> {
  const { db, shared } = deps;
  const bus = new EventBus();
  if (shared) await bus.share(shared, (err) => deps.log.warn({ err }, 'event not relayed through redis'));
  const meetings = new MeetingStore(db);
  const rooms = new RoomStore(db, shared ? new RedisGeneration(shared, 'rooms') : new LocalGeneration());
  const auth = new AuthService(
    db,
    { idleMs: deps.settings.sessionIdleMs, maxMs: deps.settings.sessionMaxMs },
    shared ? new RedisGeneration(shared, 'principals') : new LocalGeneration(),
  );
  const onExpire = (entry: { room: string; id: string }) => {
    void hostIds(auth, rooms, entry.room)
      .then((ids) => bus.toUsers(ids, { type: 'lobby.resolved', room: entry.room, id: entry.id, outcome: 'expired' }))
      .catch((err: unknown) => deps.log.warn({ err }, 'lobby expiry not reported'));
  };
  const lobby: LobbyStore = shared ? await RedisLobby.open(shared, {}, onExpire) : new Lobby({}, onExpire);
  const recordings = new RecordingService(
    {
      store: new RecordingStore(db),
      meetings,
      livekit: deps.livekit,
      log: deps.log,
      broadcast: (event) => bus.toAll(event),
      publicUrl: () => deps.settings.publicUrl,
    },
    deps.recording,
  );
  return {
    settings: deps.settings,
    log: deps.log,
    db,
    auth,
    invites: new InviteStore(db),
    rooms,
    meetings,
    livekit: deps.livekit,
    lobby,
    bus,
    presence: shared ? new RedisPresence(shared) : new MemoryPresence(),
    guestLinks: new GuestLinkStore(db),
    settingsStore: new SettingsStore(db),
    recordings,
    loginFailures: shared ? new RedisLoginThrottle(shared) : new LoginThrottle(),
    metrics: new Metrics(),
    shared,
  };
}

/** The users who host room: its owner and every enabled admin. */
export async function hostIds(auth: AuthService, rooms: RoomStore, room: string): Promise<string[]> {
  const ids = await auth.users.activeAdminIds();
  const owner = (await rooms.get(room))?.owner.id;
  if (owner && !ids.includes(owner) && !(await auth.users.byId(owner))?.disabled) ids.push(owner);
  return ids;
}
