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
  'SFU_UNAVAILABLE',
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
// Control characters never belong in a name shown to others (they break logs and layouts).
const printable = /^[^\p{Cc}\u2028\u2029]*$/u;
/** What others see: 1..64 printable characters, NFC-normalized, trimmed. */
export const DisplayName = z
  .string()
  .max(256)
  .normalize('NFC')
  .trim()
  .min(1, 'displayName: required')
  .max(64, 'displayName: at most 64 characters')
  .regex(printable, 'displayName: no control characters');
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
  .normalize('NFC')
  .trim()
  .min(1, 'title: required')
  .max(100, 'title: at most 100 characters')
  .regex(printable, 'title: no control characters');
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

export const FEATURES = ['guests', 'lobby', 'e2ee', 'meeting-history', 'events'] as const;
export const Feature = z.enum(FEATURES);
export type Feature = z.infer<typeof Feature>;

export const ServerInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** ws(s):// URL of the SFU that clients connect to. */
  livekitUrl: z.string(),
  setupDone: z.boolean(),
  features: z.array(Feature),
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
  /** One-time code, handed to the new member out of band. */
  code: z.string(),
  role: Role,
  expiresAt: IsoDate,
});
export type Invite = z.infer<typeof Invite>;

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
   * 'passphrase': no key from the server; participants type a shared passphrase.
   */
  e2ee: E2eeMode,
});
export type RoomOptions = z.infer<typeof RoomOptions>;
export const DEFAULT_ROOM_OPTIONS: RoomOptions = {
  lobby: false,
  allowGuests: false,
  locked: false,
  maxParticipants: null,
  e2ee: 'off',
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

export const UserRef = z.object({ id: z.string(), username: z.string(), displayName: z.string() });
export type UserRef = z.infer<typeof UserRef>;

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

export const RoomList = z.object({ rooms: z.array(Room) });
export type RoomList = z.infer<typeof RoomList>;

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
  /** Minutes until the link expires (5..43200, default 1440 = one day). */
  expiresInMinutes: z.number().int().min(5).max(43_200).default(1440),
});
export type CreateGuestLinkRequest = z.input<typeof CreateGuestLinkRequest>;

export const GuestLink = z.object({
  /** `<publicUrl>/#/guest/<code>`: the code rides in the fragment so proxies never log it. */
  url: z.string(),
  code: z.string(),
  room: z.string(),
  expiresAt: IsoDate,
});
export type GuestLink = z.infer<typeof GuestLink>;

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
