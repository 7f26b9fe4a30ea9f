import { randomBytes } from 'node:crypto';
import { DEFAULT_ROOM_OPTIONS, type GuestAdmitted, type JoinResponse, type Participant, type Room, type RoomOptions } from '@contracts/api';
import type { Principal } from '../auth/auth-service';
import type { AppContext } from '../context';
import type { RoomRecord } from '../db/rooms';
import type { UserRecord } from '../db/users';
import { HttpError, forbidden, isUniqueViolation, notFound } from '../http-errors';
import { randomId } from '../lib/crypto';

export function isHost(user: UserRecord, room: RoomRecord): boolean {
  return user.role === 'admin' || room.owner.id === user.id;
}

export async function getRoom(ctx: AppContext, name: string): Promise<RoomRecord> {
  const room = await ctx.rooms.get(name);
  if (!room) throw notFound('room');
  return room;
}

/** The room, if the principal hosts it; 404 before 403 would leak nothing here (all members see all rooms). */
export async function roomHostedBy(ctx: AppContext, principal: Principal, name: string): Promise<RoomRecord> {
  const room = await getRoom(ctx, name);
  if (!isHost(principal.user, room)) throw forbidden('hosts of this room only');
  return room;
}

export function toApiRoom(room: RoomRecord, user: UserRecord, participants: Participant[]): Room {
  return {
    name: room.name,
    title: room.title,
    owner: room.owner,
    options: room.options,
    createdAt: new Date(room.createdAt).toISOString(),
    youAreHost: isHost(user, room),
    participants,
  };
}

/** A fresh AES-256 key for 'room-key' rooms; kept while the mode stays, dropped when it changes. */
function keyFor(options: RoomOptions, previous: string | null): string | null {
  if (options.e2ee !== 'room-key') return null;
  return previous ?? randomBytes(32).toString('base64');
}

export async function createRoom(
  ctx: AppContext,
  owner: UserRecord,
  input: { name: string; title: string; options?: Partial<RoomOptions> | undefined },
): Promise<RoomRecord> {
  const options: RoomOptions = { ...DEFAULT_ROOM_OPTIONS, ...input.options };
  const { roomsPerUser, roomCreatesPer10Min } = ctx.settings.limits;
  const now = Date.now();
  // Counted from the rooms table itself, so the caps hold across restarts and cost one indexed count.
  if ((await ctx.rooms.countOwnedBy(owner.id, now - 10 * 60_000)) >= roomCreatesPer10Min)
    throw new HttpError('RATE_LIMITED', `at most ${roomCreatesPer10Min} new rooms per 10 minutes; try again later`);
  if ((await ctx.rooms.countOwnedBy(owner.id)) >= roomsPerUser)
    throw new HttpError('LIMIT_REACHED', `you own ${roomsPerUser} rooms, the most one person may; delete one first`);
  try {
    await ctx.rooms.insert({ name: input.name, title: input.title, ownerId: owner.id, options, e2eeKey: keyFor(options, null), now });
  } catch (err) {
    if (isUniqueViolation(err)) throw new HttpError('ROOM_EXISTS', `a room named ${input.name} exists`);
    throw err;
  }
  return getRoom(ctx, input.name);
}

export async function updateRoom(
  ctx: AppContext,
  room: RoomRecord,
  patch: { title?: string | undefined; options?: Partial<RoomOptions> | undefined },
): Promise<RoomRecord> {
  const options: RoomOptions = { ...room.options, ...patch.options };
  await ctx.rooms.update(room.name, {
    title: patch.title ?? room.title,
    options,
    e2eeKey: keyFor(options, room.options.e2ee === options.e2ee ? room.e2eeKey : null),
  });
  return getRoom(ctx, room.name);
}

function e2eeFields(room: RoomRecord): Pick<JoinResponse, 'e2ee' | 'e2eeKey'> {
  return room.options.e2ee === 'room-key' && room.e2eeKey ? { e2ee: 'room-key', e2eeKey: room.e2eeKey } : { e2ee: room.options.e2ee };
}

/** Refuses a newcomer to a full room (someone reconnecting with the same identity is not new). */
async function checkCapacity(ctx: AppContext, room: RoomRecord, identity: string): Promise<void> {
  const max = room.options.maxParticipants;
  if (max === null) return;
  const present = await ctx.livekit.participants(room.name);
  if (present.length >= max && !present.some((p) => p.identity === identity)) throw new HttpError('ROOM_FULL', 'the room is full');
}

/**
 * A member's join token. Identity `u:<userId>:<device>`: the device defaults to the session, so two
 * signed-in devices never share an identity (LiveKit would drop the older connection).
 */
export async function memberJoin(
  ctx: AppContext,
  principal: Principal,
  room: RoomRecord,
  device: string | undefined,
): Promise<JoinResponse> {
  const { user } = principal;
  const host = isHost(user, room);
  if (room.options.locked && !host) throw new HttpError('ROOM_LOCKED', 'the room is locked');
  const identity = `u:${user.id}:${device ?? principal.session.id}`;
  await checkCapacity(ctx, room, identity);
  const role = host ? 'host' : 'member';
  const token = await ctx.livekit.token({ room: room.name, identity, displayName: user.displayName, role, userId: user.id });
  ctx.metrics.joins.inc({ role });
  return {
    url: await ctx.livekit.clientUrl(),
    token,
    identity,
    role,
    ...e2eeFields(room),
    directCalls: room.options.directCalls,
    recording: (await ctx.recordings.active(room.name)) !== null,
  };
}

/** A guest's join token, once a guest may enter (no lobby, or admitted). */
export async function guestAdmission(ctx: AppContext, room: RoomRecord, displayName: string, guestId = randomId()): Promise<GuestAdmitted> {
  if (!room.options.allowGuests) throw new HttpError('GUESTS_NOT_ALLOWED', 'this room does not take guests');
  if (room.options.locked) throw new HttpError('ROOM_LOCKED', 'the room is locked');
  const identity = `g:${guestId}`;
  await checkCapacity(ctx, room, identity);
  const token = await ctx.livekit.token({
    room: room.name,
    identity,
    // Marked in the name itself, so every client shows it (tiles, chat, lists, other LiveKit apps)
    // and a guest calling themselves "Admin (host)" is still seen as a guest.
    displayName: guestName(displayName),
    role: 'guest',
    canShareScreen: room.options.guestsCanShare,
  });
  ctx.metrics.joins.inc({ role: 'guest' });
  return {
    status: 'admitted',
    url: await ctx.livekit.clientUrl(),
    token,
    identity,
    room: room.name,
    roomTitle: room.title,
    ...e2eeFields(room),
    directCalls: room.options.directCalls,
    recording: (await ctx.recordings.active(room.name)) !== null,
  };
}

/** How a guest's name is shown to everyone else. */
export function guestName(displayName: string): string {
  return `${displayName} (guest)`;
}

/**
 * Who is in which room, for the listing, from the SFU once at start (an existing LiveKit may have
 * meetings running); the webhooks keep it current after that. Best effort: the SFU may be down.
 */
export async function loadPresence(ctx: AppContext): Promise<void> {
  try {
    for (const [room, people] of await ctx.livekit.participantsByRoom()) for (const p of people) await ctx.presence.join(room, p);
  } catch (err) {
    ctx.log.warn({ err }, 'room listing starts without participants: SFU unavailable');
  }
}
