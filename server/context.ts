import type { Logger } from 'pino';
import { AuthService } from './auth/auth-service';
import { WindowCounter } from './auth/throttle';
import type { Db } from './db/database';
import { InviteStore } from './db/invites';
import { MeetingStore } from './db/meetings';
import { RoomStore } from './db/rooms';
import { SettingsStore } from './db/settings';
import { EventBus } from './events/bus';
import { Presence } from './events/presence';
import { randomSecret } from './lib/crypto';
import type { LivekitService } from './livekit/livekit-service';
import { GuestLinkSigner } from './lobby/guest-links';
import { Lobby } from './lobby/lobby';
import { Metrics } from './metrics';

/** Settings the app needs at runtime (already validated). */
export interface RuntimeSettings {
  serverName: string;
  version: string;
  /** Where people reach this server (links are built from it). */
  publicUrl: string;
  sessionTtlMs: number;
  metricsToken: string | undefined;
  rateLimitPerMinute: number;
  trustProxy: boolean;
  webClientDir: string | undefined;
  /** Origins besides the desktop app's that may call the API from a page (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
}

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
  guestLinks: GuestLinkSigner;
  /** The one-time first-run code, while no account exists. */
  setup: { code: string | undefined };
  /** Failed logins per username. */
  loginFailures: WindowCounter;
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
  const stored = new SettingsStore(db);
  const bus = new EventBus();
  const rooms = new RoomStore(db);
  const auth = new AuthService(db, deps.settings.sessionTtlMs);
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
    guestLinks: new GuestLinkSigner(
      Buffer.from(
        stored.getOrCreate('guest-link-key', () => randomSecret()),
        'base64url',
      ),
    ),
    setup: { code: deps.setupCode },
    loginFailures: new WindowCounter(5, 15 * 60_000),
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
