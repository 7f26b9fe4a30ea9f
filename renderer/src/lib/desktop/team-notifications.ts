// Team events that deserve a native notification in the desktop app even when no call is running
// (the window hidden in the tray): a meeting started in a team room, someone joined the room you are
// in. Main decides whether to show each (window focused, settings); this only forwards them.
import type { NotificationRequest } from '@contracts/desktop';
import type { ServerEvent } from '@contracts/api';

export interface TeamNotificationContext {
  serverUrl: string;
  /** The room this window is in or about to join; its own start is no news. */
  currentRoom(): string | null;
  /** The signed-in person's user id: their own join is no news either. */
  userId(): string | null;
}

export function teamNotification(event: ServerEvent, context: TeamNotificationContext): NotificationRequest | null {
  if (event.type === 'meeting.started') {
    if (event.room === context.currentRoom()) return null;
    return { kind: 'meeting-started', room: { serverUrl: context.serverUrl, room: event.room, title: event.title.slice(0, 200) } };
  }
  if (event.type === 'participant.joined') {
    if (event.room !== context.currentRoom() || event.participant.userId === context.userId()) return null;
    return {
      kind: 'participant-joined',
      room: { serverUrl: context.serverUrl, room: event.room },
      participantName: event.participant.displayName.slice(0, 100) || 'Someone',
    };
  }
  return null;
}

/** Listens on the session's event stream; returns its unsubscribe. */
export function forwardTeamNotifications(
  listen: (listener: (event: ServerEvent) => void) => () => void,
  context: TeamNotificationContext,
  notify: (request: NotificationRequest) => void,
): () => void {
  return listen((event) => {
    const request = teamNotification(event, context);
    if (request) notify(request);
  });
}
