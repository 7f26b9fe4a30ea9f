import type { Attendance, Meeting, ParticipantRole } from '@contracts/api';
import type { Db } from './database';

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (from: number, to: number | null) => (to === null ? null : Math.max(0, Math.round((to - from) / 1000)));

/** Meeting history as the SFU's webhooks report it; one meeting per LiveKit room session (room sid). */
export class MeetingStore {
  constructor(private readonly db: Db) {}

  /** Records a webhook id; false when it was seen before (LiveKit retries deliveries). */
  async firstDelivery(eventId: string, now: number): Promise<boolean> {
    const r = await this.db.q
      .insertInto('webhook_events')
      .values({ id: eventId, received_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async pruneDeliveries(olderThan: number): Promise<void> {
    await this.db.q.deleteFrom('webhook_events').where('received_at', '<', olderThan).execute();
  }

  /** Idempotent: participant events can arrive before room_started. */
  async start(id: string, room: string, at: number): Promise<boolean> {
    const r = await this.db.q
      .insertInto('meetings')
      .values({ id, room_name: room, started_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async finish(id: string, at: number): Promise<void> {
    await this.db.q.updateTable('meetings').set({ ended_at: at }).where('id', '=', id).where('ended_at', 'is', null).execute();
    // Whoever the SFU did not report leaving left when the room closed.
    await this.db.q.updateTable('attendance').set({ left_at: at }).where('meeting_id', '=', id).where('left_at', 'is', null).execute();
  }

  async joined(a: {
    meetingId: string;
    participantSid: string;
    identity: string;
    userId: string | null;
    displayName: string;
    role: ParticipantRole;
    at: number;
  }): Promise<void> {
    await this.db.q
      .insertInto('attendance')
      .values({
        meeting_id: a.meetingId,
        participant_sid: a.participantSid,
        identity: a.identity,
        user_id: a.userId,
        display_name: a.displayName,
        role: a.role,
        joined_at: a.at,
      })
      .onConflict((oc) => oc.columns(['meeting_id', 'participant_sid']).doNothing())
      .execute();
  }

  async left(meetingId: string, participantSid: string, at: number): Promise<void> {
    await this.db.q
      .updateTable('attendance')
      .set({ left_at: at })
      .where('meeting_id', '=', meetingId)
      .where('participant_sid', '=', participantSid)
      .where('left_at', 'is', null)
      .execute();
  }

  async list(q: { room?: string | undefined; before?: number | undefined; limit: number }): Promise<Meeting[]> {
    let query = this.db.q.selectFrom('meetings').selectAll();
    if (q.room) query = query.where('room_name', '=', q.room);
    if (q.before !== undefined) query = query.where('started_at', '<', q.before);
    const rows = await query.orderBy('started_at', 'desc').limit(q.limit).execute();
    if (!rows.length) return [];
    const att = await this.db.q
      .selectFrom('attendance')
      .selectAll()
      .where(
        'meeting_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('joined_at')
      .execute();
    const byMeeting = new Map<string, Attendance[]>();
    for (const a of att) {
      const list = byMeeting.get(a.meeting_id) ?? [];
      list.push({
        identity: a.identity,
        displayName: a.display_name,
        role: a.role,
        userId: a.user_id,
        joinedAt: iso(a.joined_at),
        leftAt: a.left_at === null ? null : iso(a.left_at),
        durationSeconds: seconds(a.joined_at, a.left_at),
      });
      byMeeting.set(a.meeting_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      room: r.room_name,
      startedAt: iso(r.started_at),
      endedAt: r.ended_at === null ? null : iso(r.ended_at),
      durationSeconds: seconds(r.started_at, r.ended_at),
      attendance: byMeeting.get(r.id) ?? [],
    }));
  }
}
