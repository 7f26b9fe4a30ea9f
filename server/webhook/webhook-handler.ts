import type { WebhookEvent } from 'livekit-server-sdk';
import type { AppContext } from '../context';
import { toParticipant } from '../livekit/livekit-service';

/**
 * Turns the SFU's webhooks into meeting history and live events. Idempotent: LiveKit retries
 * deliveries, and participant events may come before room_started. The delivery's dedupe row and
 * the history it writes commit in one transaction: a crash between them cannot record the event as
 * seen while losing what it said (the retry then finds nothing and writes it). Live events go out
 * only after the commit.
 */
export function handleWebhook(ctx: AppContext, ev: WebhookEvent): void {
  const outbox: (() => void)[] = [];
  const bus = {
    toAll: (e: Parameters<AppContext['bus']['toAll']>[0]) => outbox.push(() => ctx.bus.toAll(e)),
    toUsers: (ids: Iterable<string>, e: Parameters<AppContext['bus']['toAll']>[0]) => {
      const list = [...ids];
      outbox.push(() => ctx.bus.toUsers(list, e));
    },
  };
  const presence: (() => void)[] = [];
  ctx.db.transaction(() => record(ctx, ev, bus, presence))();
  for (const apply of presence) apply();
  for (const send of outbox) send();
}

type Outbox = Pick<AppContext['bus'], 'toAll' | 'toUsers'>;

function record(ctx: AppContext, ev: WebhookEvent, bus: Outbox, presence: (() => void)[]): void {
  const now = Date.now();
  if (ev.id && !ctx.meetings.firstDelivery(ev.id, now)) return;
  const at = Number(ev.createdAt) > 0 ? Number(ev.createdAt) * 1000 : now;
  const room = ev.room;
  if (!room?.name) return;
  const meetingId = room.sid || `${room.name}@${at}`;

  switch (ev.event) {
    case 'room_started': {
      if (ctx.meetings.start(meetingId, room.name, at)) {
        bus.toAll({
          type: 'meeting.started',
          room: room.name,
          title: ctx.rooms.get(room.name)?.title ?? room.name,
          at: new Date(at).toISOString(),
        });
      }
      return;
    }
    case 'room_finished': {
      ctx.meetings.finish(meetingId, at);
      presence.push(() => ctx.presence.clear(room.name));
      bus.toAll({ type: 'meeting.ended', room: room.name, at: new Date(at).toISOString() });
      return;
    }
    case 'participant_joined': {
      if (!ev.participant) return;
      const p = toParticipant(ev.participant);
      if (ctx.meetings.start(meetingId, room.name, at)) {
        bus.toAll({
          type: 'meeting.started',
          room: room.name,
          title: ctx.rooms.get(room.name)?.title ?? room.name,
          at: new Date(at).toISOString(),
        });
      }
      const joinedAt = p.joinedAt ? Date.parse(p.joinedAt) : at;
      ctx.meetings.joined({
        meetingId,
        participantSid: ev.participant.sid,
        identity: p.identity,
        userId: p.userId,
        displayName: p.displayName,
        role: p.role,
        at: joinedAt,
      });
      const others = ctx.presence.userIds(room.name);
      presence.push(() => ctx.presence.join(room.name, p));
      if (p.userId) others.delete(p.userId);
      bus.toUsers(others, { type: 'participant.joined', room: room.name, participant: p });
      return;
    }
    case 'participant_left':
    case 'participant_connection_aborted': {
      if (!ev.participant) return;
      const p = toParticipant(ev.participant);
      ctx.meetings.left(meetingId, ev.participant.sid, at);
      const others = ctx.presence.userIds(room.name);
      presence.push(() => ctx.presence.leave(room.name, p.identity));
      if (p.userId) others.delete(p.userId);
      bus.toUsers(others, { type: 'participant.left', room: room.name, participant: p });
      return;
    }
    default:
      return;
  }
}
