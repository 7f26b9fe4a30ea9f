import type { WebhookEvent } from 'livekit-server-sdk';
import type { AppContext } from '../context';
import { toParticipant } from '../livekit/livekit-service';

/**
 * Turns the SFU's webhooks into meeting history and live events. Idempotent: LiveKit retries
 * deliveries, and participant events may come before room_started. The delivery's dedupe row and
 * the history it writes commit in one transaction: a crash between them cannot record the event as
 * seen while losing what it said (the retry then finds nothing and writes it). Presence and live
 * events follow only the commit.
 */
export async function handleWebhook(ctx: AppContext, ev: WebhookEvent): Promise<void> {
  let after: (() => Promise<void>)[] = [];
  await ctx.db.transaction(async () => {
    // A retried transaction starts over: what a lost attempt queued must not run.
    after = [];
    await record(ctx, ev, after);
  });
  for (const run of after) await run();
}

async function record(ctx: AppContext, ev: WebhookEvent, after: (() => Promise<void>)[]): Promise<void> {
  const now = Date.now();
  if (ev.id && !(await ctx.meetings.firstDelivery(ev.id, now))) return;
  const at = Number(ev.createdAt) > 0 ? Number(ev.createdAt) * 1000 : now;
  const room = ev.room;
  if (!room?.name) return;
  const meetingId = room.sid || `${room.name}@${at}`;
  const started = async () => {
    const title = (await ctx.rooms.get(room.name))?.title ?? room.name;
    after.push(() => ctx.bus.toAll({ type: 'meeting.started', room: room.name, title, at: new Date(at).toISOString() }));
  };
  // The hidden recorder is no attendee: it stays out of history, presence and join/leave events.
  if (ev.participant?.permission?.hidden) return;

  switch (ev.event) {
    case 'room_started': {
      if (await ctx.meetings.start(meetingId, room.name, at)) await started();
      return;
    }
    case 'room_finished': {
      await ctx.meetings.finish(meetingId, at);
      after.push(() => ctx.presence.clear(room.name));
      after.push(() => ctx.bus.toAll({ type: 'meeting.ended', room: room.name, at: new Date(at).toISOString() }));
      return;
    }
    case 'participant_joined': {
      if (!ev.participant) return;
      const p = toParticipant(ev.participant);
      if (await ctx.meetings.start(meetingId, room.name, at)) await started();
      const joinedAt = p.joinedAt ? Date.parse(p.joinedAt) : at;
      await ctx.meetings.joined({
        meetingId,
        participantSid: ev.participant.sid,
        identity: p.identity,
        userId: p.userId,
        displayName: p.displayName,
        role: p.role,
        at: joinedAt,
      });
      after.push(async () => {
        const others = await ctx.presence.userIds(room.name);
        await ctx.presence.join(room.name, p);
        if (p.userId) others.delete(p.userId);
        await ctx.bus.toUsers(others, { type: 'participant.joined', room: room.name, participant: p });
      });
      return;
    }
    case 'participant_left':
    case 'participant_connection_aborted': {
      if (!ev.participant) return;
      const p = toParticipant(ev.participant);
      await ctx.meetings.left(meetingId, ev.participant.sid, at);
      after.push(async () => {
        const others = await ctx.presence.userIds(room.name);
        await ctx.presence.leave(room.name, p.identity);
        if (p.userId) others.delete(p.userId);
        await ctx.bus.toUsers(others, { type: 'participant.left', room: room.name, participant: p });
      });
      return;
    }
    default:
      return;
  }
}
