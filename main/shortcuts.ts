// Global push-to-talk and toggle-mute, active only during a call and only when the user turned
// them on (a global shortcut takes its key away from every other app).
//
// Electron reports global shortcuts on key press only, never on release. Push-to-talk learns the
// release, best first:
// 1. a key hook (uiohook-napi) reports the key going up: exact on every platform;
// 2. Windows and Linux repeat a held shortcut, so "held" is a press followed by repeats and the key
//    counts as released when the repeats stop (the first timeout covers the initial repeat delay);
// 3. macOS does not repeat global shortcuts: without the key hook a press starts talking and the
//    next press stops (the settings screen says so), rather than cutting out after a moment.
import type { GlobalShortcut } from 'electron';
import type { CallControl, Settings, ShortcutStatus } from '@contracts/desktop';
import { releaseKeys, type KeyHook } from './key-hook';
import type { Logger } from './log';

export interface ShortcutDeps {
  globalShortcut: Pick<GlobalShortcut, 'register' | 'unregister'>;
  control(action: CallControl['action']): void;
  platform: NodeJS.Platform;
  keyHook: KeyHook | null;
  log: Logger;
  /** Longer than the usual initial key-repeat delay (250-600 ms). */
  firstReleaseMs?: number;
  /** Longer than the usual key-repeat interval (~30-50 ms). */
  repeatReleaseMs?: number;
}

export type PushToTalkRelease = ShortcutStatus['pushToTalkRelease'];

export interface Shortcuts {
  apply(config: Settings['shortcuts'], inCall: boolean): ShortcutStatus;
  status(): ShortcutStatus;
  /** How a held push-to-talk key is known to be released here. */
  releaseMode(): PushToTalkRelease;
  dispose(): void;
}

export function createShortcuts(deps: ShortcutDeps): Shortcuts {
  const firstReleaseMs = deps.firstReleaseMs ?? 650;
  const repeatReleaseMs = deps.repeatReleaseMs ?? 180;
  let registered: string[] = [];
  let applied = '';
  let pttTimer: ReturnType<typeof setTimeout> | null = null;
  let talking = false;
  let pttKeys = new Set<string>();
  let toggleHeldUntil = 0;
  const mode: PushToTalkRelease = deps.keyHook ? 'key-up' : deps.platform === 'darwin' ? 'press-again' : 'repeats-stop';
  const OFF: ShortcutStatus = { pushToTalk: 'off', toggleMute: 'off', pushToTalkRelease: mode };
  let current: ShortcutStatus = OFF;

  function releasePushToTalk(): void {
    if (pttTimer) clearTimeout(pttTimer);
    pttTimer = null;
    if (!talking) return;
    talking = false;
    deps.control('push-to-talk-end');
  }

  deps.keyHook?.onKeyUp((key) => {
    if (talking && pttKeys.has(key)) releasePushToTalk();
  });

  function onPushToTalk(): void {
    if (mode === 'key-up') {
      // Repeats (Windows, Linux) while held change nothing; the key hook ends it.
      if (talking) return;
      talking = true;
      deps.control('push-to-talk-start');
      return;
    }
    if (mode === 'press-again') {
      if (talking) releasePushToTalk();
      else {
        talking = true;
        deps.control('push-to-talk-start');
      }
      return;
    }
    if (pttTimer) {
      clearTimeout(pttTimer);
      pttTimer = setTimeout(releasePushToTalk, repeatReleaseMs);
      return;
    }
    talking = true;
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
    releasePushToTalk();
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
      pttKeys = config.pushToTalk ? releaseKeys(config.pushToTalk, deps.platform) : new Set();
      const pushToTalk = register(config.pushToTalk, onPushToTalk);
      const toggleMute =
        config.toggleMute === config.pushToTalk && pushToTalk !== 'off' ? 'unavailable' : register(config.toggleMute, onToggleMute);
      current = { pushToTalk, toggleMute, pushToTalkRelease: mode };
      deps.log.info('shortcuts.applied', current);
      return current;
    },
    status: () => current,
    releaseMode: () => mode,
    dispose() {
      unregisterAll();
      deps.keyHook?.dispose();
      applied = '';
      current = OFF;
    },
  };
}
