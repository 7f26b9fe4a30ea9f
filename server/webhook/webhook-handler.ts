import type { WebhookEvent } from 'livekit-server-sdk';
import type { AppContext } from '../context';
import { toParticipant } from '../livekit/livekit-service';

/**
 * Turns the SFU's webhooks into meeting history and live events. Idempotent: LiveKit retries
 * deliveries, and participant events may come before room_started.
 */
export function handleWebhook(ctx: AppContext, ev: WebhookEvent): void {
  const now = Date.now();
  if (ev.id && !ctx.meetings.firstDelivery(ev.id, now)) return;
  const at = Number(ev.createdAt) > 0 ? Number(ev.createdAt) * 1000 : now;
  const room = ev.room;
  if (!room?.name) return;
  const meetingId = room.sid || `${room.name}@${at}`;

  switch (ev.event) {
    case 'room_started': {
      if (ctx.meetings.start(meetingId, room.name, at)) {
        ctx.bus.toAll({
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
      ctx.presence.clear(room.name);
      ctx.bus.toAll({ type: 'meeting.ended', room: room.name, at: new Date(at).toISOString() });
      return;
    }
    case 'participant_joined': {
      if (!ev.participant) return;
      const p = toParticipant(ev.participant);
      if (ctx.meetings.start(meetingId, room.name, at)) {
        ctx.bus.toAll({
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
      ctx.presence.join(room.name, p);
      if (p.userId) others.delete(p.userId);
      ctx.bus.toUsers(others, { type: 'participant.joined', room: room.name, participant: p });
      return;
    }
    case 'participant_left':
    case 'participant_connection_aborted': {
      if (!ev.participant) return;
      const p = toParticipant(ev.participant);
      ctx.meetings.left(meetingId, ev.participant.sid, at);
      ctx.presence.leave(room.name, p.identity);
      const others = ctx.presence.userIds(room.name);
      if (p.userId) others.delete(p.userId);
      ctx.bus.toUsers(others, { type: 'participant.left', room: room.name, participant: p });
      return;
    }
    default:
      return;
  }
}
