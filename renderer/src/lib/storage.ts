// Remembered choices (pre-join devices, theme, background effect, who is signed in where). localStorage survives
// restarts in both the browser and the desktop app's own origin; values are validated on the way back in.
import { z } from 'zod';

export const PreJoinChoicesSchema = z.object({
  audioInputId: z.string().nullable(),
  videoInputId: z.string().nullable(),
  audioOutputId: z.string().nullable(),
  micEnabled: z.boolean(),
  cameraEnabled: z.boolean(),
  displayName: z.string().max(64),
});
export type PreJoinChoices = z.infer<typeof PreJoinChoicesSchema>;

export const DEFAULT_CHOICES: PreJoinChoices = {
  audioInputId: null,
  videoInputId: null,
  audioOutputId: null,
  micEnabled: true,
  cameraEnabled: true,
  displayName: '',
};

/** Before sessions were kept per server: one server and its token. Read once, then moved. */
const LegacySessionSchema = z.object({ serverUrl: z.string(), token: z.string().nullable() });
/** The session token of each team server the person signed in to, by the server's origin. */
const SessionsSchema = z.record(z.string().max(2048), z.string().min(1).max(4096)).refine((v) => Object.keys(v).length <= 100);
const LastServerSchema = z.string().max(2048);

export const ThemeSchema = z.enum(['dark', 'light', 'system']);
export type ThemeChoice = z.infer<typeof ThemeSchema>;

function store(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // Storage can throw when disabled by policy.
  }
}

export function load<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = store()?.getItem(key);
  if (!raw) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export function save<T>(key: string, value: T): void {
  try {
    store()?.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or disabled storage: the choice just is not remembered.
  }
}

export function remove(key: string): void {
  store()?.removeItem(key);
}

export const KEYS = {
  choices: 'parley.prejoin',
  /** Superseded by `sessions` + `lastServer`; moved on first read. */
  legacySession: 'parley.session',
  sessions: 'parley.sessions',
  lastServer: 'parley.server',
  theme: 'parley.theme',
  /** The key predates this module; kept so a remembered effect survives the update. */
  backgroundEffect: 'parley.media.backgroundEffect',
} as const;

/** The key a server's session is kept under: its origin, so `https://x/` and `https://x` are one server. */
export function serverKey(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

function migrateLegacySession(): void {
  const legacy = load(KEYS.legacySession, LegacySessionSchema.nullable(), null);
  if (!legacy) return;
  const key = serverKey(legacy.serverUrl);
  if (key) {
    const sessions = load(KEYS.sessions, SessionsSchema, {});
    if (legacy.token && !sessions[key]) save(KEYS.sessions, { ...sessions, [key]: legacy.token });
    if (!load(KEYS.lastServer, LastServerSchema, '')) save(KEYS.lastServer, key);
  }
  remove(KEYS.legacySession);
}

/**
 * Sessions, one per team server: signing in, out or switching on one server never touches
 * another's, so a link to a new server cannot sign the person out of theirs.
 */
export const sessions = {
  token(url: string): string | null {
    migrateLegacySession();
    const key = serverKey(url);
    return key ? (load(KEYS.sessions, SessionsSchema, {})[key] ?? null) : null;
  },
  setToken(url: string, token: string | null): void {
    migrateLegacySession();
    const key = serverKey(url);
    if (!key) return;
    const { [key]: _old, ...others } = load(KEYS.sessions, SessionsSchema, {});
    save(KEYS.sessions, token ? { ...others, [key]: token } : others);
  },
  /** The server the app showed last (the desktop app opens it again). */
  lastServer(): string | null {
    migrateLegacySession();
    return load(KEYS.lastServer, LastServerSchema, '') || null;
  },
  setLastServer(url: string): void {
    const key = serverKey(url);
    if (key) save(KEYS.lastServer, key);
  },
};

const PENDING_KEY = 'parley.pending-room';
const PendingRoomSchema = z.object({ server: z.string().max(2048), room: z.string().max(64) });

/**
 * A room to open once the page has loaded again (a new team server only takes effect on the next
 * load, see main/csp.ts). sessionStorage: it survives the reload, not a restart.
 */
export const pendingRoom = {
  set(serverUrl: string, room: string): void {
    try {
      sessionStorage.setItem(PENDING_KEY, JSON.stringify({ server: serverKey(serverUrl) ?? '', room }));
    } catch {
      // Without storage the room is simply not opened after the reload.
    }
  },
  /** The room for this server, once. */
  take(serverUrl: string): string | null {
    try {
      const raw = sessionStorage.getItem(PENDING_KEY);
      sessionStorage.removeItem(PENDING_KEY);
      const parsed = raw ? PendingRoomSchema.safeParse(JSON.parse(raw)) : null;
      return parsed?.success && parsed.data.server === serverKey(serverUrl) ? parsed.data.room : null;
    } catch {
      return null;
    }
  },
};
