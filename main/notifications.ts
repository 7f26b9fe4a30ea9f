// Native notifications for things that happen while you are not looking at Parley. The renderer
// reports events; main decides whether they are worth interrupting for, and a click brings up
// the view the notification was about.
import type { Notification as ElectronNotification, NotificationConstructorOptions } from 'electron';
import type { CallState, Navigation, NotificationRequest, NotificationResult } from '@contracts/desktop';
import type { Logger } from './log';

export interface NotificationContext {
  enabled: boolean;
  windowFocused: boolean;
  call: CallState;
}

export function notificationPolicy(request: NotificationRequest, context: NotificationContext): NotificationResult {
  if (!context.enabled) return { shown: false, reason: 'disabled' };
  const away = !context.windowFocused;
  const sharing = context.call.sharingScreen;
  switch (request.kind) {
    case 'participant-joined':
    case 'meeting-started':
      return away ? { shown: true, reason: 'shown' } : { shown: false, reason: 'window-focused' };
    case 'chat-message':
      // While sharing, the Parley window is usually behind the shared app even if focused.
      return away || sharing ? { shown: true, reason: 'shown' } : { shown: false, reason: 'window-focused' };
    case 'hand-raised':
    case 'lobby-guest':
      if (!context.call.isHost) return { shown: false, reason: 'not-host' };
      return away || sharing ? { shown: true, reason: 'shown' } : { shown: false, reason: 'window-focused' };
  }
}

const roomTitle = (request: NotificationRequest): string => request.room.title ?? request.room.room;

export function notificationContent(request: NotificationRequest): { title: string; body: string } {
  switch (request.kind) {
    case 'participant-joined':
      return { title: `${request.participantName} joined`, body: roomTitle(request) };
    case 'chat-message':
      return {
        title: `${request.from} in ${roomTitle(request)}`,
        body: request.text.length > 140 ? `${request.text.slice(0, 139)}…` : request.text,
      };
    case 'hand-raised':
      return { title: `${request.participantName} raised their hand`, body: roomTitle(request) };
    case 'lobby-guest':
      return { title: `${request.guestName} is waiting in the lobby`, body: `${roomTitle(request)} — click to let them in` };
    case 'meeting-started':
      return { title: `Meeting started in ${roomTitle(request)}`, body: `${request.startedBy} started it — click to join` };
  }
}

export function navigationFor(request: NotificationRequest): Navigation {
  switch (request.kind) {
    case 'participant-joined':
    case 'hand-raised':
      return { view: 'meeting', panel: 'participants' };
    case 'chat-message':
      return { view: 'meeting', panel: 'chat' };
    case 'lobby-guest':
      return { view: 'meeting', panel: 'lobby' };
    case 'meeting-started':
      return { view: 'join', room: request.room, source: 'notification' };
  }
}

export interface NotificationClass {
  new (options: NotificationConstructorOptions): ElectronNotification;
  isSupported(): boolean;
}

export interface NotifierDeps {
  Notification: NotificationClass;
  context(): NotificationContext;
  /** Shows, restores and focuses the main window. */
  bringToFront(): void;
  navigate(navigation: Navigation): void;
  log: Logger;
}

export interface Notifier {
  show(request: NotificationRequest): NotificationResult;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  // Electron drops click handlers of notifications that were garbage collected; hold them.
  const live = new Set<ElectronNotification>();
  return {
    show(request) {
      if (!deps.Notification.isSupported()) return { shown: false, reason: 'unsupported' };
      const decision = notificationPolicy(request, deps.context());
      if (!decision.shown) return decision;
      const { title, body } = notificationContent(request);
      const notification = new deps.Notification({ title, body, silent: request.kind === 'chat-message' });
      live.add(notification);
      const release = (): void => {
        live.delete(notification);
      };
      notification.on('click', () => {
        release();
        deps.bringToFront();
        deps.navigate(navigationFor(request));
      });
      notification.on('close', release);
      notification.on('failed', (_event, error) => {
        release();
        deps.log.warn('notification.failed', { kind: request.kind, error });
      });
      notification.show();
      deps.log.info('notification.shown', { kind: request.kind });
      return decision;
    },
  };
}
