// Key releases from a system-wide keyboard hook. Electron's globalShortcut reports presses only, and
// macOS does not repeat a held global shortcut, so push-to-talk needs another source for "released".
// uiohook-napi (N-API, prebuilt for Windows, macOS and Linux/X11) provides it; where it cannot run
// (macOS without Input Monitoring permission, Wayland, a failed load) the caller gets null.

/** What main/shortcuts.ts needs: releases, by Electron accelerator key name ("Space", "M", "Shift"). */
export interface KeyHook {
  onKeyUp(listener: (key: string) => void): () => void;
  dispose(): void;
}

/** The part of uiohook-napi used here. */
export interface UiohookModule {
  uIOhook: {
    on(event: 'keyup', listener: (event: { keycode: number }) => void): unknown;
    off(event: 'keyup', listener: (event: { keycode: number }) => void): unknown;
    start(): void;
    stop(): void;
  };
  UiohookKey: Record<string, number>;
}

// uiohook's names where they differ from Electron's accelerator names.
const RENAMES: Record<string, string> = {
  Ctrl: 'Control',
  CtrlRight: 'Control',
  ShiftRight: 'Shift',
  AltRight: 'Alt',
  Meta: 'Super',
  MetaRight: 'Super',
  Enter: 'Return',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
};

export function createUiohookKeyHook(module: UiohookModule): KeyHook {
  const names = new Map<number, string>();
  for (const [name, code] of Object.entries(module.UiohookKey)) names.set(code, RENAMES[name] ?? name);
  const listeners = new Set<(key: string) => void>();
  const onKeyUp = (event: { keycode: number }): void => {
    const key = names.get(event.keycode);
    if (key) for (const listener of listeners) listener(key);
  };
  module.uIOhook.on('keyup', onKeyUp);
  module.uIOhook.start();
  return {
    onKeyUp(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      module.uIOhook.off('keyup', onKeyUp);
      module.uIOhook.stop();
    },
  };
}

const MODIFIERS: Record<string, string> = {
  CommandOrControl: 'Control',
  CmdOrCtrl: 'Control',
  Command: 'Super',
  Cmd: 'Super',
  Control: 'Control',
  Ctrl: 'Control',
  Alt: 'Alt',
  Option: 'Alt',
  AltGr: 'Alt',
  Shift: 'Shift',
  Super: 'Super',
  Meta: 'Super',
};

/** The keys whose release ends a held accelerator: its key and each of its modifiers. */
export function releaseKeys(accelerator: string, platform: NodeJS.Platform): Set<string> {
  const parts = accelerator.split('+');
  const keys = new Set<string>();
  parts.forEach((part, index) => {
    if (index < parts.length - 1) {
      const modifier = MODIFIERS[part] ?? part;
      // CommandOrControl is Command on macOS.
      keys.add(platform === 'darwin' && (part === 'CommandOrControl' || part === 'CmdOrCtrl') ? 'Super' : modifier);
    } else keys.add(part === 'Esc' ? 'Escape' : part === 'Enter' ? 'Return' : part);
  });
  return keys;
}
