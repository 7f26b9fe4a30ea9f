import type { Attendance, Meeting, ParticipantRole } from '@contracts/api';
import { prepared, type Db } from './statements';

interface MeetingRow {
  id: string;
  room_name: string;
  started_at: number;
  ended_at: number | null;
}
interface AttendanceRow {
  meeting_id: string;
  identity: string;
  user_id: string | null;
  display_name: string;
  role: ParticipantRole;
  joined_at: number;
  left_at: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (from: number, to: number | null) => (to === null ? null : Math.max(0, Math.round((to - from) / 1000)));

/** Meeting history as the SFU's webhooks report it; one meeting per LiveKit room session (room sid). */
export class MeetingStore {
  constructor(private readonly db: Db) {}

  /** Records a webhook id; false when it was seen before (LiveKit retries deliveries). */
  firstDelivery(eventId: string, now: number): boolean {
    return prepared(this.db, 'INSERT OR IGNORE INTO webhook_events (id, received_at) VALUES (?, ?)').run(eventId, now).changes === 1;
  }

  pruneDeliveries(olderThan: number): void {
    prepared(this.db, 'DELETE FROM webhook_events WHERE received_at < ?').run(olderThan);
  }

  /** Idempotent: participant events can arrive before room_started. */
  start(id: string, room: string, at: number): boolean {
    return prepared(this.db, 'INSERT OR IGNORE INTO meetings (id, room_name, started_at) VALUES (?, ?, ?)').run(id, room, at).changes === 1;
  }

  finish(id: string, at: number): void {
    prepared(this.db, 'UPDATE meetings SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
    // Whoever the SFU did not report leaving left when the room closed.
    prepared(this.db, 'UPDATE attendance SET left_at = ? WHERE meeting_id = ? AND left_at IS NULL').run(at, id);
  }

  joined(a: {
    meetingId: string;
    participantSid: string;
    identity: string;
    userId: string | null;
    displayName: string;
    role: ParticipantRole;
    at: number;
  }): void {
    prepared(
      this.db,
      `INSERT OR IGNORE INTO attendance (meeting_id, participant_sid, identity, user_id, display_name, role, joined_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.meetingId, a.participantSid, a.identity, a.userId, a.displayName, a.role, a.at);
  }

  left(meetingId: string, participantSid: string, at: number): void {
    prepared(this.db, 'UPDATE attendance SET left_at = ? WHERE meeting_id = ? AND participant_sid = ? AND left_at IS NULL').run(
      at,
      meetingId,
      participantSid,
    );
  }

  list(q: { room?: string | undefined; before?: number | undefined; limit: number }): Meeting[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.room) {
      where.push('room_name = ?');
      args.push(q.room);
    }
    if (q.before !== undefined) {
      where.push('started_at < ?');
      args.push(q.before);
    }
    // Four possible texts (room and/or before): cacheable.
    const rows = prepared(
      this.db,
      `SELECT * FROM meetings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC LIMIT ?`,
    ).all(...args, q.limit) as MeetingRow[];
    if (!rows.length) return [];
    // One text per row count: prepared each time rather than cached.
    const att = this.db
      .prepare(`SELECT * FROM attendance WHERE meeting_id IN (${rows.map(() => '?').join(',')}) ORDER BY joined_at`)
      .all(...rows.map((r) => r.id)) as AttendanceRow[];
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
