import { describe, expect, it } from 'vitest';
import { forwardTeamNotifications, teamNotification } from '@renderer/lib/desktop/team-notifications';
import type { ServerEvent } from '@contracts/api';
import type { NotificationRequest } from '@contracts/desktop';

const serverUrl = 'https://meet.example.com';
const at = new Date().toISOString();
const person = (displayName: string, userId: string | null) => ({
  identity: `${displayName}-1`,
  displayName,
  role: 'member' as const,
  userId,
  joinedAt: at,
});

describe('team notifications outside a call', () => {
  it('a meeting starting in a team room is news, unless it is the room this window is joining', () => {
    const started: ServerEvent = { type: 'meeting.started', room: 'design', title: 'Design review', at };
    expect(teamNotification(started, { serverUrl, currentRoom: () => null, userId: () => 'u1' })).toEqual({
      kind: 'meeting-started',
      room: { serverUrl, room: 'design', title: 'Design review' },
    });
    expect(teamNotification(started, { serverUrl, currentRoom: () => 'design', userId: () => 'u1' })).toBeNull();
  });

  it('someone joining the room you are in is news; your own join and other rooms are not', () => {
    const context = { serverUrl, currentRoom: () => 'standup', userId: () => 'u1' };
    const joined = (room: string, userId: string | null, name: string): ServerEvent => ({
      type: 'participant.joined',
      room,
      participant: person(name, userId),
    });
    expect(teamNotification(joined('standup', 'u2', 'Grace'), context)).toEqual({
      kind: 'participant-joined',
      room: { serverUrl, room: 'standup' },
      participantName: 'Grace',
    });
    expect(teamNotification(joined('standup', 'u1', 'Me'), context)).toBeNull();
    expect(teamNotification(joined('other', 'u2', 'Grace'), context)).toBeNull();
  });

  it('forwards from the event stream until unsubscribed', () => {
    const listeners = new Set<(event: ServerEvent) => void>();
    const shown: NotificationRequest[] = [];
    const stop = forwardTeamNotifications(
      (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      { serverUrl, currentRoom: () => null, userId: () => null },
      (request) => shown.push(request),
    );
    for (const l of listeners) l({ type: 'meeting.started', room: 'a', title: 'A', at });
    stop();
    for (const l of listeners) l({ type: 'meeting.started', room: 'b', title: 'B', at });
    expect(shown.map((r) => r.room.room)).toEqual(['a']);
  });
});
