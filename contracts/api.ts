/**
 * The team server's HTTP contract: every request and response body of /api/v1 as a zod schema, and the
 * TypeScript types inferred from them. The server validates with these schemas (and generates its
 * OpenAPI document from them); the renderer, desktop app, tests and benchmarks import the same types.
 *
 * Runs everywhere: imports only zod (no node, fastify or DOM).
 *
 * Identities (LiveKit participant identity):
 *   - member:  `u:<userId>:<device>`  (device = the sign-in session's public id, or the `device` sent to
 *              join). Stable per user and device, so a reconnect replaces the old connection of that
 *              device while two devices of one user never kick each other out.
 *   - guest:   `g:<random>`           (one per admission)
 * Participant attributes (LiveKit token attributes): `role` ('host' | 'member' | 'guest'),
 * `displayName`, and `userId` for members. The token's `name` is the display name.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Errors

export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INVALID_CREDENTIALS',
  'SETUP_DONE',
  'SETUP_CODE_INVALID',
  'INVITE_INVALID',
  'USERNAME_TAKEN',
  'ROOM_EXISTS',
  'ROOM_LOCKED',
  'ROOM_FULL',
  'GUESTS_NOT_ALLOWED',
  'GUEST_LINK_INVALID',
  'TICKET_INVALID',
  'PARTICIPANT_NOT_FOUND',
  'TRACK_NOT_FOUND',
  'LAST_ADMIN',
  'WRONG_PASSWORD',
  'LIMIT_REACHED',
  'SFU_UNAVAILABLE',
  'RECORDING_ACTIVE',
  'RECORDING_NOT_ALLOWED',
  'NOT_RECORDING',
  'NO_MEETING',
  'LINK_EXPIRED',
  'RECORDING_DISK_FULL',
  'INTERNAL',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------------------------------------
// Bounded, normalized names

/** Lower-case login name: letters, digits, dot, dash, underscore; 3..32, starts with a letter or digit. */
export const Username = z
  .string()
  .max(64)
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'username: 3-32 of a-z 0-9 . _ -, starting with a letter or digit');
export const Password = z.string().min(10, 'password: at least 10 characters').max(256);

/**
 * Characters that never belong in a name or title shown to others: control characters (they break
 * logs and layouts), line/paragraph separators, and the bidirectional overrides, embeddings and
 * isolates (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C) that make "Eve\u202Enimda" read
 * as "Eveadmin" or reorder a title. Zero-width and BOM characters too: they hide a name's length.
 */
const UNSHOWABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\uFEFF]/gu;
/** A name or title as it may be shown: unshowable characters removed, NFC, whitespace runs collapsed, trimmed. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').replace(UNSHOWABLE, '').replace(/ {2,}/g, ' ').trim();
}
/** What others see: 1..64 characters after cleanText. */
export const DisplayName = z
  .string()
  .max(256)
  .transform(cleanText)
  .pipe(z.string().min(1, 'displayName: required').max(64, 'displayName: at most 64 characters'));
/** URL-safe room name: a-z 0-9 and inner dashes, 1..48. */
export const RoomName = z
  .string()
  .max(96)
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'room: 1-48 of a-z 0-9 and inner dashes');
export const RoomTitle = z
  .string()
  .max(400)
  .transform(cleanText)
  .pipe(z.string().min(1, 'title: required').max(100, 'title: at most 100 characters'));
/** Opaque ids and codes handed out by the server. */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'malformed id');
export const Code = z
  .string()
  .min(6)
  .max(512)
  .regex(/^[A-Za-z0-9._~-]+$/, 'malformed code');
export const Identity = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9:._-]+$/, 'malformed identity');
/** A client-chosen device tag for the identity (see the header comment). */
export const DeviceTag = z.string().regex(/^[A-Za-z0-9_-]{4,32}$/, 'device: 4-32 of A-Z a-z 0-9 _ -');
export const IsoDate = z.string();

// ---------------------------------------------------------------------------------------------
// Server

export const FEATURES = ['guests', 'lobby', 'e2ee', 'meeting-history', 'events', 'recording'] as const;
export const Feature = z.enum(FEATURES);
export type Feature = z.infer<typeof Feature>;

export const ServerInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** ws(s):// URL of the SFU that clients connect to. */
  livekitUrl: z.string(),
  setupDone: z.boolean(),
  features: z.array(Feature),
  /** https directory the desktop app takes its updates from, when the operator set one (UPDATE_FEED_URL). */
  updateFeed: z.string().optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

// ---------------------------------------------------------------------------------------------
// Users, sessions, invites

export const Role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: IsoDate,
});
export type User = z.infer<typeof User>;

export const UserRef = z.object({ id: z.string(), username: z.string(), displayName: z.string() });
export type UserRef = z.infer<typeof UserRef>;

export const SetupRequest = z.strictObject({
  code: z.string().min(1).max(64),
  username: Username,
  password: Password,
  displayName: DisplayName,
});
export type SetupRequest = z.infer<typeof SetupRequest>;

export const LoginRequest = z.strictObject({
  username: Username,
  // Login accepts any length up to the bound: a policy change must not lock out existing users.
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionResponse = z.object({
  /** Opaque bearer token: send as `Authorization: Bearer <token>`. */
  token: z.string(),
  expiresAt: IsoDate,
  user: User,
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const CreateInviteRequest = z.strictObject({
  role: Role.default('member'),
  /** Hours until the code expires (1..720, default 72). */
  expiresInHours: z.number().int().min(1).max(720).default(72),
});
export type CreateInviteRequest = z.input<typeof CreateInviteRequest>;

export const Invite = z.object({
  /** Public id (for the invite list and revoking); not the code. */
  id: z.string(),
  /** One-time code, handed to the new member out of band. */
  code: z.string(),
  role: Role,
  expiresAt: IsoDate,
});
export type Invite = z.infer<typeof Invite>;

export const InviteStatus = z.enum(['open', 'used', 'expired', 'revoked']);
export type InviteStatus = z.infer<typeof InviteStatus>;
/** An invite as admins list it: never the code (only its hash is stored). */
export const InviteInfo = z.object({
  id: z.string(),
  role: Role,
  status: InviteStatus,
  createdAt: IsoDate,
  expiresAt: IsoDate,
  createdBy: UserRef.nullable(),
  usedBy: UserRef.nullable(),
});
export type InviteInfo = z.infer<typeof InviteInfo>;
export const InviteList = z.object({ invites: z.array(InviteInfo) });
export type InviteList = z.infer<typeof InviteList>;
export const InviteParams = z.strictObject({ inviteId: Id });

/** One signed-in device of the caller. */
export const SessionInfo = z.object({
  id: z.string(),
  /** The client's own description (its User-Agent), trimmed; may be empty. */
  client: z.string(),
  /** The address it signed in from. */
  address: z.string(),
  createdAt: IsoDate,
  lastUsedAt: IsoDate,
  /** Slides forward while the session is used, up to a fixed maximum from sign-in. */
  expiresAt: IsoDate,
  /** The session making this request. */
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const SessionList = z.object({ sessions: z.array(SessionInfo) });
export type SessionList = z.infer<typeof SessionList>;
export const SessionParams = z.strictObject({ sessionId: Id });

export const ChangePasswordRequest = z
  .strictObject({ currentPassword: z.string().min(1).max(256), newPassword: Password })
  .refine((v) => v.currentPassword !== v.newPassword, { message: 'newPassword: must differ from the current one', path: ['newPassword'] });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const RegisterRequest = z.strictObject({
  inviteCode: Code,
  username: Username,
  password: Password,
  displayName: DisplayName,
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const UserList = z.object({ users: z.array(User) });
export type UserList = z.infer<typeof UserList>;

export const UpdateUserRequest = z
  .strictObject({ role: Role.optional(), disabled: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, 'give role and/or disabled');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserParams = z.strictObject({ userId: Id });

// ---------------------------------------------------------------------------------------------
// Rooms

export const E2eeMode = z.enum(['off', 'room-key', 'passphrase']);
export type E2eeMode = z.infer<typeof E2eeMode>;

export const RoomOptions = z.strictObject({
  /** Guests wait in a lobby until a host admits them. */
  lobby: z.boolean(),
  allowGuests: z.boolean(),
  /** A locked room admits nobody new (hosts excepted). */
  locked: z.boolean(),
  /** null = no limit beyond the SFU's. */
  maxParticipants: z.number().int().min(2).max(1000).nullable(),
  /**
   * 'room-key': join responses carry `e2eeKey` (server-generated, base64), only to those admitted.
   * The team server stores that key, so its operator could read the media: encrypted against the
   * SFU and the network, not against the team server's operator.
   * 'passphrase': no key from the server; participants type a shared passphrase.
   */
  e2ee: E2eeMode,
  /** Guests may share their screen (otherwise they publish camera and microphone only). */
  guestsCanShare: z.boolean(),
  /** While exactly two Parley clients are in the room, their media goes directly between them (peer to peer). */
  directCalls: z.boolean(),
  /** Hosts may record the meeting (never in an end-to-end encrypted room: the server cannot see its media). */
  allowRecording: z.boolean(),
});
export type RoomOptions = z.infer<typeof RoomOptions>;
/**
 * A new room admits no guests; when guests are allowed they wait in the lobby unless a host turns
 * it off, so a leaked link alone never puts a stranger in the meeting.
 */
export const DEFAULT_ROOM_OPTIONS: RoomOptions = {
  lobby: true,
  allowGuests: false,
  locked: false,
  maxParticipants: null,
  e2ee: 'off',
  guestsCanShare: false,
  directCalls: true,
  allowRecording: true,
};

export const ParticipantRole = z.enum(['host', 'member', 'guest']);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

export const Participant = z.object({
  identity: z.string(),
  displayName: z.string(),
  role: ParticipantRole,
  /** null for guests. */
  userId: z.string().nullable(),
  joinedAt: IsoDate.nullable(),
});
export type Participant = z.infer<typeof Participant>;

export const Room = z.object({
  name: z.string(),
  title: z.string(),
  owner: UserRef,
  options: RoomOptions,
  createdAt: IsoDate,
  /** Whether the signed-in user is a host here (owner or admin). */
  youAreHost: z.boolean(),
  /** Who is in the room now, as the SFU reports it. */
  participants: z.array(Participant),
});
export type Room = z.infer<typeof Room>;

export const RoomList = z.object({
  rooms: z.array(Room),
  /** Pass as `after` for the next page; null on the last page. */
  next: z.string().nullable(),
});
export type RoomList = z.infer<typeof RoomList>;
export const RoomListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  /** Rooms whose name sorts after this one (paging). */
  after: RoomName.optional(),
});
export type RoomListQuery = { limit?: number; after?: string };

export const CreateRoomRequest = z.strictObject({
  name: RoomName,
  title: RoomTitle,
  options: RoomOptions.partial().optional(),
});
export type CreateRoomRequest = z.infer<typeof CreateRoomRequest>;

export const UpdateRoomRequest = z
  .strictObject({ title: RoomTitle.optional(), options: RoomOptions.partial().optional() })
  .refine((v) => v.title !== undefined || v.options !== undefined, 'give title and/or options');
export type UpdateRoomRequest = z.infer<typeof UpdateRoomRequest>;

export const RoomParams = z.strictObject({ room: RoomName });

export const JoinRequest = z.strictObject({ device: DeviceTag.optional() });
export type JoinRequest = z.infer<typeof JoinRequest>;

export const JoinResponse = z.object({
  /** ws(s):// SFU URL. */
  url: z.string(),
  /** LiveKit access token; short-lived: only the initial connection needs it. */
  token: z.string(),
  identity: z.string(),
  role: ParticipantRole,
  e2ee: E2eeMode,
  /** Only in 'room-key' mode. */
  e2eeKey: z.string().optional(),
  /** The room's directCalls option (absent from older servers: treat as on). */
  directCalls: z.boolean().optional(),
  /** The meeting is being recorded now: the member is asked before entering (absent from older servers). */
  recording: z.boolean().optional(),
});
export type JoinResponse = z.infer<typeof JoinResponse>;

// ---------------------------------------------------------------------------------------------
// Host controls

export const TrackSourceName = z.enum(['microphone', 'camera', 'screen_share']);
export type TrackSourceName = z.infer<typeof TrackSourceName>;
export const MuteRequest = z.strictObject({ source: TrackSourceName });
export type MuteRequest = z.infer<typeof MuteRequest>;
export const ParticipantParams = z.strictObject({ room: RoomName, identity: Identity });

// ---------------------------------------------------------------------------------------------
// Guests and lobby

export const CreateGuestLinkRequest = z.strictObject({
  /** Minutes until the link expires (5..10080 = one week, default 480 = eight hours). */
  expiresInMinutes: z.number().int().min(5).max(10_080).default(480),
  /** How many guests may join with it (1..500, default 20). */
  maxUses: z.number().int().min(1).max(500).default(20),
  /** The host's own note of whom the link is for, shown in the link list. */
  label: z.string().max(200).transform(cleanText).pipe(z.string().max(64, 'label: at most 64 characters')).optional(),
});
export type CreateGuestLinkRequest = z.input<typeof CreateGuestLinkRequest>;

/** A guest link as its room's hosts see it (never the code: only its hash is stored). */
export const GuestLinkInfo = z.object({
  id: z.string(),
  room: z.string(),
  label: z.string(),
  createdAt: IsoDate,
  expiresAt: IsoDate,
  maxUses: z.number(),
  uses: z.number(),
  createdBy: UserRef,
});
export type GuestLinkInfo = z.infer<typeof GuestLinkInfo>;

export const GuestLink = GuestLinkInfo.extend({
  /** `<publicUrl>/#/guest/<code>`: the code rides in the fragment so proxies never log it. */
  url: z.string(),
  code: z.string(),
});
export type GuestLink = z.infer<typeof GuestLink>;
/** The room's links that still work (not expired, used up or revoked), newest first. */
export const GuestLinkList = z.object({ links: z.array(GuestLinkInfo) });
export type GuestLinkList = z.infer<typeof GuestLinkList>;
export const GuestLinkParams = z.strictObject({ room: RoomName, linkId: Id });

export const GuestJoinRequest = z.strictObject({ code: Code, displayName: DisplayName });
export type GuestJoinRequest = z.infer<typeof GuestJoinRequest>;

export const GuestAdmitted = z.object({
  status: z.literal('admitted'),
  url: z.string(),
  token: z.string(),
  identity: z.string(),
  room: z.string(),
  roomTitle: z.string(),
  e2ee: E2eeMode,
  e2eeKey: z.string().optional(),
  directCalls: z.boolean().optional(),
  /** The meeting is being recorded now: the guest is told before entering. */
  recording: z.boolean(),
});
export type GuestAdmitted = z.infer<typeof GuestAdmitted>;
export const GuestWaiting = z.object({
  status: z.literal('waiting'),
  /** Secret: only the guest holds it. Poll GET /api/v1/guest/tickets/:ticket with it. */
  ticket: z.string(),
  room: z.string(),
  roomTitle: z.string(),
});
export type GuestWaiting = z.infer<typeof GuestWaiting>;
export const GuestDenied = z.object({ status: z.literal('denied') });
export type GuestDenied = z.infer<typeof GuestDenied>;

export const GuestJoinResponse = z.discriminatedUnion('status', [GuestAdmitted, GuestWaiting]);
export type GuestJoinResponse = z.infer<typeof GuestJoinResponse>;

export const TicketParams = z.strictObject({ ticket: Code });
export const TicketQuery = z.strictObject({
  /** Seconds to hold the request open waiting for a decision (0..30, default 25). */
  wait: z.coerce.number().int().min(0).max(30).default(25),
});
export const TicketStatus = z.discriminatedUnion('status', [GuestAdmitted, GuestDenied, z.object({ status: z.literal('waiting') })]);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const LobbyEntry = z.object({
  /** Public id hosts use to admit or deny (not the guest's secret ticket). */
  id: z.string(),
  room: z.string(),
  displayName: z.string(),
  createdAt: IsoDate,
});
export type LobbyEntry = z.infer<typeof LobbyEntry>;
export const LobbyList = z.object({ waiting: z.array(LobbyEntry) });
export type LobbyList = z.infer<typeof LobbyList>;
export const LobbyParams = z.strictObject({ room: RoomName, ticket: Id });

// ---------------------------------------------------------------------------------------------
// Meeting history

export const Attendance = z.object({
  identity: z.string(),
  displayName: z.string(),
  role: ParticipantRole,
  userId: z.string().nullable(),
  joinedAt: IsoDate,
  leftAt: IsoDate.nullable(),
  durationSeconds: z.number().nullable(),
});
export type Attendance = z.infer<typeof Attendance>;

export const Meeting = z.object({
  id: z.string(),
  room: z.string(),
  startedAt: IsoDate,
  endedAt: IsoDate.nullable(),
  durationSeconds: z.number().nullable(),
  attendance: z.array(Attendance),
});
export type Meeting = z.infer<typeof Meeting>;

export const MeetingQuery = z.strictObject({
  room: RoomName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only meetings started before this ISO time (paging). */
  before: z.iso.datetime().optional(),
});
/** What a caller passes (the schema coerces query-string values). */
export type MeetingQuery = { room?: string; limit?: number; before?: string };
export const MeetingList = z.object({ meetings: z.array(Meeting) });
export type MeetingList = z.infer<typeof MeetingList>;

// ---------------------------------------------------------------------------------------------
// Recordings

export const RecordingStatus = z.enum(['recording', 'processing', 'ready', 'failed']);
export type RecordingStatus = z.infer<typeof RecordingStatus>;
/** Why a recording ended. */
export const RecordingEndReason = z.enum([
  /** A host stopped it. */
  'stopped',
  /** The meeting ended (everyone left, or a host ended it for all). */
  'meeting-ended',
  /** The last host left the meeting. */
  'host-left',
  /** The recorder stopped unexpectedly. */
  'recorder-failed',
  /** The recordings folder ran out of room. */
  'disk-full',
  /** The team server stopped or restarted while recording. */
  'server-restart',
]);
export type RecordingEndReason = z.infer<typeof RecordingEndReason>;

export const Recording = z.object({
  id: z.string(),
  room: z.string(),
  /** The meeting (LiveKit room session) it belongs to. */
  meetingId: z.string().nullable(),
  startedAt: IsoDate,
  endedAt: IsoDate.nullable(),
  /** Length of the finished file; null until it is ready. */
  durationSeconds: z.number().nullable(),
  /** Bytes of the finished file; null until it is ready. */
  sizeBytes: z.number().nullable(),
  status: RecordingStatus,
  /**
   * Something cut it short (the recorder failed, the disk filled, the server restarted): the file
   * holds what was written until then.
   */
  partial: z.boolean(),
  endReason: RecordingEndReason.nullable(),
  startedBy: UserRef.nullable(),
});
export type Recording = z.infer<typeof Recording>;

export const RecordingList = z.object({ recordings: z.array(Recording) });
export type RecordingList = z.infer<typeof RecordingList>;
export const RecordingQuery = z.strictObject({
  room: RoomName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only recordings started before this ISO time (paging). */
  before: z.iso.datetime().optional(),
});
export type RecordingQuery = { room?: string; limit?: number; before?: string };
export const RecordingParams = z.strictObject({ recordingId: Id });
/** What is being recorded in a room now, if anything. */
export const RoomRecording = z.object({ active: Recording.nullable() });
export type RoomRecording = z.infer<typeof RoomRecording>;
export const RecordingDownload = z.object({
  /** A signed link that works without signing in, until expiresAt. */
  url: z.string(),
  expiresAt: IsoDate,
});
export type RecordingDownload = z.infer<typeof RecordingDownload>;
export const RecordingFileQuery = z.strictObject({
  expires: z.coerce.number().int().positive(),
  sig: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'malformed signature'),
});

// ---------------------------------------------------------------------------------------------
// Events (GET /api/v1/events, Server-Sent Events; `event:` = type, `data:` = the JSON below)

export const ServerEvent = z.discriminatedUnion('type', [
  /** Sent first on every connection. */
  z.object({ type: z.literal('ready'), userId: z.string() }),
  z.object({ type: z.literal('meeting.started'), room: z.string(), title: z.string(), at: IsoDate }),
  z.object({ type: z.literal('meeting.ended'), room: z.string(), at: IsoDate }),
  /** Someone joined or left a room you are in. */
  z.object({ type: z.literal('participant.joined'), room: z.string(), participant: Participant }),
  z.object({ type: z.literal('participant.left'), room: z.string(), participant: Participant }),
  /** To the room's hosts. */
  z.object({ type: z.literal('lobby.waiting'), room: z.string(), entry: LobbyEntry }),
  z.object({
    type: z.literal('lobby.resolved'),
    room: z.string(),
    id: z.string(),
    outcome: z.enum(['admitted', 'denied', 'expired']),
  }),
  /** To everyone in the room and its hosts: a recording started, stopped, or its file is ready (or failed). */
  z.object({ type: z.literal('recording.started'), room: z.string(), recording: Recording }),
  z.object({ type: z.literal('recording.stopped'), room: z.string(), recording: Recording }),
  z.object({ type: z.literal('recording.ready'), room: z.string(), recording: Recording }),
]);
export type ServerEvent = z.infer<typeof ServerEvent>;

// ---------------------------------------------------------------------------------------------
// Health

export const Health = z.object({ ok: z.boolean() });
export const Readiness = z.object({
  ok: z.boolean(),
  checks: z.object({ database: z.boolean(), sfu: z.boolean() }),
});
export type Readiness = z.infer<typeof Readiness>;

// ---------------------------------------------------------------------------------------------
// Routes: the one table the server registers from and the client calls through

/**
 * Who may call a route. Per-room rights (host of this room) are checked by the server, which knows
 * the room; `hosts` in a summary says so.
 *   public: anyone (the server may still check a code or signature)
 *   user:   a signed-in, enabled user
 *   admin:  a signed-in admin
 */
export type AuthLevel = 'public' | 'user' | 'admin';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Fastify-style: `:name` segments are filled from `params`. */
  path: string;
  auth: AuthLevel;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status and its body (z.null() for 204). */
  status: 200 | 201 | 204;
  response: z.ZodType;
  /** Other documented answers besides the error body, e.g. readiness's 503. */
  extraResponses?: Record<number, z.ZodType>;
}

/** For POSTs that take no input: no body (fastify passes null), or {}, and no unknown fields. */
export const EmptyBody = z.strictObject({}).nullish();
const NoContent = z.null();

const route = <const R extends RouteSpec>(r: R): R => r;

export const ROUTES = {
  healthz: route({ method: 'GET', path: '/healthz', auth: 'public', summary: 'Liveness', status: 200, response: Health }),
  readyz: route({
    method: 'GET',
    path: '/readyz',
    auth: 'public',
    summary: 'Readiness: database and SFU',
    status: 200,
    response: Readiness,
    extraResponses: { 503: Readiness },
  }),
  server: route({
    method: 'GET',
    path: '/api/v1/server',
    auth: 'public',
    summary: 'What this server is and offers',
    status: 200,
    response: ServerInfo,
  }),

  // setup and sessions
  setup: route({
    method: 'POST',
    path: '/api/v1/setup',
    auth: 'public',
    summary: 'Create the first admin with the one-time setup code',
    body: SetupRequest,
    status: 201,
    response: SessionResponse,
  }),
  login: route({
    method: 'POST',
    path: '/api/v1/sessions',
    auth: 'public',
    summary: 'Sign in',
    body: LoginRequest,
    status: 201,
    response: SessionResponse,
  }),
  logout: route({
    method: 'DELETE',
    path: '/api/v1/sessions/current',
    auth: 'user',
    summary: 'Sign out',
    status: 204,
    response: NoContent,
  }),
  listSessions: route({
    method: 'GET',
    path: '/api/v1/me/sessions',
    auth: 'user',
    summary: 'Your signed-in devices',
    status: 200,
    response: SessionList,
  }),
  revokeSession: route({
    method: 'DELETE',
    path: '/api/v1/me/sessions/:sessionId',
    auth: 'user',
    summary: 'Sign one of your devices out',
    params: SessionParams,
    status: 204,
    response: NoContent,
  }),
  changePassword: route({
    method: 'POST',
    path: '/api/v1/me/password',
    auth: 'user',
    summary: 'Change your password; every other device is signed out',
    body: ChangePasswordRequest,
    status: 204,
    response: NoContent,
  }),

  // members and invites
  me: route({ method: 'GET', path: '/api/v1/me', auth: 'user', summary: 'The signed-in user', status: 200, response: User }),
  createInvite: route({
    method: 'POST',
    path: '/api/v1/invites',
    auth: 'admin',
    summary: 'Create a one-time invite code',
    body: CreateInviteRequest,
    status: 201,
    response: Invite,
  }),
  listInvites: route({
    method: 'GET',
    path: '/api/v1/invites',
    auth: 'admin',
    summary: 'Invites, newest first (never their codes)',
    status: 200,
    response: InviteList,
  }),
  revokeInvite: route({
    method: 'DELETE',
    path: '/api/v1/invites/:inviteId',
    auth: 'admin',
    summary: 'Revoke an unused invite',
    params: InviteParams,
    status: 204,
    response: NoContent,
  }),
  register: route({
    method: 'POST',
    path: '/api/v1/users',
    auth: 'public',
    summary: 'Register with an invite code',
    body: RegisterRequest,
    status: 201,
    response: SessionResponse,
  }),
  listUsers: route({ method: 'GET', path: '/api/v1/users', auth: 'admin', summary: 'List users', status: 200, response: UserList }),
  updateUser: route({
    method: 'PATCH',
    path: '/api/v1/users/:userId',
    auth: 'admin',
    summary: 'Change a role or disable/enable a user',
    params: UserParams,
    body: UpdateUserRequest,
    status: 200,
    response: User,
  }),

  // rooms
  listRooms: route({
    method: 'GET',
    path: '/api/v1/rooms',
    auth: 'user',
    summary: "The team's rooms by name, a page at a time, with who is in each now",
    query: RoomListQuery,
    status: 200,
    response: RoomList,
  }),
  createRoom: route({
    method: 'POST',
    path: '/api/v1/rooms',
    auth: 'user',
    summary: 'Create a room (the caller owns it)',
    body: CreateRoomRequest,
    status: 201,
    response: Room,
  }),
  getRoom: route({
    method: 'GET',
    path: '/api/v1/rooms/:room',
    auth: 'user',
    summary: 'One room',
    params: RoomParams,
    status: 200,
    response: Room,
  }),
  updateRoom: route({
    method: 'PATCH',
    path: '/api/v1/rooms/:room',
    auth: 'user',
    summary: 'Change title or options (hosts)',
    params: RoomParams,
    body: UpdateRoomRequest,
    status: 200,
    response: Room,
  }),
  deleteRoom: route({
    method: 'DELETE',
    path: '/api/v1/rooms/:room',
    auth: 'user',
    summary: 'Delete a room and end its meeting (hosts)',
    params: RoomParams,
    status: 204,
    response: NoContent,
  }),
  joinRoom: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/join',
    auth: 'user',
    summary: 'A join token (hosts get roomAdmin for this room)',
    params: RoomParams,
    body: JoinRequest.nullish(),
    status: 200,
    response: JoinResponse,
  }),

  // host controls
  muteParticipant: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/participants/:identity/mute',
    auth: 'user',
    summary: "Mute a participant's track (hosts)",
    params: ParticipantParams,
    body: MuteRequest,
    status: 204,
    response: NoContent,
  }),
  removeParticipant: route({
    method: 'DELETE',
    path: '/api/v1/rooms/:room/participants/:identity',
    auth: 'user',
    summary: 'Remove a participant (hosts)',
    params: ParticipantParams,
    status: 204,
    response: NoContent,
  }),
  lockRoom: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/lock',
    auth: 'user',
    summary: 'Admit nobody new (hosts)',
    params: RoomParams,
    body: EmptyBody,
    status: 200,
    response: Room,
  }),
  unlockRoom: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/unlock',
    auth: 'user',
    summary: 'Admit newcomers again (hosts)',
    params: RoomParams,
    body: EmptyBody,
    status: 200,
    response: Room,
  }),
  endMeeting: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/end',
    auth: 'user',
    summary: 'End the meeting for everyone (hosts)',
    params: RoomParams,
    body: EmptyBody,
    status: 204,
    response: NoContent,
  }),

  // guests and lobby
  createGuestLink: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/guest-links',
    auth: 'user',
    summary: 'A guest link with an expiry and a use limit (hosts)',
    params: RoomParams,
    body: CreateGuestLinkRequest,
    status: 201,
    response: GuestLink,
  }),
  listGuestLinks: route({
    method: 'GET',
    path: '/api/v1/rooms/:room/guest-links',
    auth: 'user',
    summary: "The room's guest links that still work (hosts)",
    params: RoomParams,
    status: 200,
    response: GuestLinkList,
  }),
  revokeGuestLink: route({
    method: 'DELETE',
    path: '/api/v1/rooms/:room/guest-links/:linkId',
    auth: 'user',
    summary: 'Revoke one guest link (hosts)',
    params: GuestLinkParams,
    status: 204,
    response: NoContent,
  }),
  guestJoin: route({
    method: 'POST',
    path: '/api/v1/guest/join',
    auth: 'public',
    summary: 'Join as a guest with a guest-link code',
    body: GuestJoinRequest,
    status: 200,
    response: GuestJoinResponse,
  }),
  guestTicket: route({
    method: 'GET',
    path: '/api/v1/guest/tickets/:ticket',
    auth: 'public',
    summary: 'Long poll: wait for a host to admit or deny',
    params: TicketParams,
    query: TicketQuery,
    status: 200,
    response: TicketStatus,
  }),
  listLobby: route({
    method: 'GET',
    path: '/api/v1/rooms/:room/lobby',
    auth: 'user',
    summary: 'Guests waiting (hosts)',
    params: RoomParams,
    status: 200,
    response: LobbyList,
  }),
  admitGuest: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/lobby/:ticket/admit',
    auth: 'user',
    summary: 'Admit a waiting guest (hosts)',
    params: LobbyParams,
    body: EmptyBody,
    status: 204,
    response: NoContent,
  }),
  denyGuest: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/lobby/:ticket/deny',
    auth: 'user',
    summary: 'Deny a waiting guest (hosts)',
    params: LobbyParams,
    body: EmptyBody,
    status: 204,
    response: NoContent,
  }),

  // recordings
  roomRecording: route({
    method: 'GET',
    path: '/api/v1/rooms/:room/recording',
    auth: 'user',
    summary: 'What is being recorded in the room now',
    params: RoomParams,
    status: 200,
    response: RoomRecording,
  }),
  startRecording: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/recording',
    auth: 'user',
    summary: 'Start recording the meeting (hosts)',
    params: RoomParams,
    body: EmptyBody,
    status: 201,
    response: Recording,
  }),
  stopRecording: route({
    method: 'POST',
    path: '/api/v1/rooms/:room/recording/stop',
    auth: 'user',
    summary: 'Stop recording the meeting (hosts)',
    params: RoomParams,
    body: EmptyBody,
    status: 200,
    response: Recording,
  }),
  listRecordings: route({
    method: 'GET',
    path: '/api/v1/recordings',
    auth: 'user',
    summary: 'Recordings, newest first',
    query: RecordingQuery,
    status: 200,
    response: RecordingList,
  }),
  recordingDownload: route({
    method: 'POST',
    path: '/api/v1/recordings/:recordingId/download',
    auth: 'user',
    summary: 'A short-lived signed link to the recording file',
    params: RecordingParams,
    body: EmptyBody,
    status: 200,
    response: RecordingDownload,
  }),
  /** video/mp4; reached through the signed link from recordingDownload. */
  recordingFile: route({
    method: 'GET',
    path: '/api/v1/recordings/:recordingId/file',
    auth: 'public',
    summary: 'The recording file (video/mp4), with a signed link',
    params: RecordingParams,
    query: RecordingFileQuery,
    status: 200,
    response: z.unknown(),
  }),
  deleteRecording: route({
    method: 'DELETE',
    path: '/api/v1/recordings/:recordingId',
    auth: 'user',
    summary: 'Delete a recording (hosts of its room)',
    params: RecordingParams,
    status: 204,
    response: NoContent,
  }),

  // history and events
  listMeetings: route({
    method: 'GET',
    path: '/api/v1/meetings',
    auth: 'user',
    summary: 'Meeting history, newest first',
    query: MeetingQuery,
    status: 200,
    response: MeetingList,
  }),
  /** text/event-stream of ServerEvent frames; the client reads it with readSse, not as JSON. */
  events: route({
    method: 'GET',
    path: '/api/v1/events',
    auth: 'user',
    summary: 'Server-Sent Events (text/event-stream of ServerEvent)',
    status: 200,
    response: ServerEvent,
  }),
} as const;

export type RouteName = keyof typeof ROUTES;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;
/** What a caller passes for route R: its params, query and body, each only if the route has one. */
export type RouteInput<R extends RouteSpec> = (R['params'] extends z.ZodType ? { params: In<R['params']> } : { params?: undefined }) &
  (R['query'] extends z.ZodType ? { query?: In<R['query']> } : { query?: undefined }) &
  (R['body'] extends z.ZodType ? { body?: In<R['body']> } : { body?: undefined });
/** What route R answers with on success (nothing for a 204). */
export type RouteOutput<R extends RouteSpec> = R['status'] extends 204 ? void : Out<R['response']>;
/** What the server's handler of route R receives (parsed, defaults applied). */
export type RouteRequest<R extends RouteSpec> = { params: Out<R['params']>; query: Out<R['query']>; body: Out<R['body']> };

/** The URL path of route R with its params filled in (each segment percent-encoded). */
export function routePath(spec: Pick<RouteSpec, 'path'>, params: Record<string, string> = {}): string {
  return spec.path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${spec.path}: missing param ${name}`);
    return encodeURIComponent(v);
  });
}
