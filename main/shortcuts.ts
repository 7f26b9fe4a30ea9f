// Global push-to-talk and toggle-mute, active only during a call and only when the user turned
// them on (a global shortcut takes its key away from every other app).
//
// Electron reports global shortcuts on key press only, never on release. Holding a key makes the
// OS repeat the press, so "held" is a press followed by repeats; the key counts as released when
// the repeats stop. The first timeout covers the OS's initial repeat delay.
import type { GlobalShortcut } from 'electron';
import type { CallControl, Settings, ShortcutStatus } from '@contracts/desktop';
import type { Logger } from './log';

export interface ShortcutDeps {
  globalShortcut: Pick<GlobalShortcut, 'register' | 'unregister'>;
  control(action: CallControl['action']): void;
  log: Logger;
  /** Longer than the usual initial key-repeat delay (250-600 ms). */
  firstReleaseMs?: number;
  /** Longer than the usual key-repeat interval (~30-50 ms). */
  repeatReleaseMs?: number;
}

export interface Shortcuts {
  apply(config: Settings['shortcuts'], inCall: boolean): ShortcutStatus;
  status(): ShortcutStatus;
  dispose(): void;
}

const OFF: ShortcutStatus = { pushToTalk: 'off', toggleMute: 'off' };

export function createShortcuts(deps: ShortcutDeps): Shortcuts {
  const firstReleaseMs = deps.firstReleaseMs ?? 650;
  const repeatReleaseMs = deps.repeatReleaseMs ?? 180;
  let registered: string[] = [];
  let current: ShortcutStatus = OFF;
  let applied = '';
  let pttTimer: ReturnType<typeof setTimeout> | null = null;
  let toggleHeldUntil = 0;

  function releasePushToTalk(): void {
    if (pttTimer) clearTimeout(pttTimer);
    pttTimer = null;
    deps.control('push-to-talk-end');
  }

  function onPushToTalk(): void {
    if (pttTimer) {
      clearTimeout(pttTimer);
      pttTimer = setTimeout(releasePushToTalk, repeatReleaseMs);
      return;
    }
    deps.control('push-to-talk-start');
    pttTimer = setTimeout(releasePushToTalk, firstReleaseMs);
  }

  function onToggleMute(): void {
    // Repeats of a held key must not flip the microphone back and forth.
    const now = Date.now();
    const repeat = now < toggleHeldUntil;
    toggleHeldUntil = now + (repeat ? repeatReleaseMs : firstReleaseMs);
    if (!repeat) deps.control('toggle-microphone');
  }

  function unregisterAll(): void {
    for (const accelerator of registered) deps.globalShortcut.unregister(accelerator);
    registered = [];
    if (pttTimer) releasePushToTalk();
  }

  function register(accelerator: string | null, handler: () => void): ShortcutStatus['pushToTalk'] {
    if (!accelerator) return 'off';
    let ok = false;
    try {
      ok = deps.globalShortcut.register(accelerator, handler);
    } catch (error) {
      deps.log.warn('shortcuts.register_threw', { accelerator, error });
    }
    if (ok) registered.push(accelerator);
    else deps.log.warn('shortcuts.unavailable', { accelerator });
    return ok ? 'registered' : 'unavailable';
  }

  return {
    apply(config, inCall) {
      const active = config.enabled && inCall;
      const key = JSON.stringify({ active, ptt: config.pushToTalk, mute: config.toggleMute });
      if (key === applied) return current;
      applied = key;
      unregisterAll();
      if (!active) {
        current = OFF;
        return current;
      }
      const pushToTalk = register(config.pushToTalk, onPushToTalk);
      const toggleMute =
        config.toggleMute === config.pushToTalk && pushToTalk !== 'off' ? 'unavailable' : register(config.toggleMute, onToggleMute);
      current = { pushToTalk, toggleMute };
      deps.log.info('shortcuts.applied', current);
      return current;
    },
    status: () => current,
    dispose() {
      unregisterAll();
      applied = '';
      current = OFF;
    },
  };
}
