// The only door to the desktop shell. In Electron the preload exposes `window.parley`; in a
// browser it is absent and every caller falls back to a web API (or does nothing).
import type { CallState, DesktopApi, NotificationRequest } from '@contracts/desktop';

declare global {
  interface Window {
    parley?: DesktopApi;
  }
}

export const desktop: DesktopApi | null = typeof window !== 'undefined' ? (window.parley ?? null) : null;

export function reportCallState(state: CallState): void {
  void desktop?.call.updateState(state).catch(() => undefined);
}

/**
 * Desktop: the shell decides (focused window, settings). Browser: a web Notification, only while
 * the tab is hidden and only if the person already allowed them (we never prompt mid-meeting).
 */
export function notify(request: NotificationRequest, title: string, body: string): void {
  if (desktop) {
    void desktop.notifications.show(request).catch(() => undefined);
    return;
  }
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (typeof document !== 'undefined' && document.visibilityState === 'visible') return;
  try {
    new Notification(title, { body, tag: request.kind });
  } catch {
    // Some browsers only allow notifications from a service worker; the in-app UI still shows it.
  }
}

/** True in a browser that could still show the permission prompt (not asked yet). */
export function webNotificationsAskable(): boolean {
  return !desktop && typeof Notification !== 'undefined' && Notification.permission === 'default';
}

/** Asks once, from a click (browsers ignore it otherwise). */
export async function requestWebNotifications(): Promise<void> {
  if (desktop || typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  await Notification.requestPermission().catch(() => undefined);
}
