// Meeting keyboard shortcuts: one table drives both the key handling and the help sheet.
// Modifier combos (Google Meet's Ctrl/⌘+D and +E) so typing in chat never toggles a microphone,
// and single keys are not stolen from screen readers (WCAG 2.1.4).

export type ShortcutAction = 'microphone' | 'camera' | 'hand' | 'chat' | 'participants' | 'help';

export interface Shortcut {
  action: ShortcutAction;
  label: string;
  /** KeyboardEvent.code, layout-independent (Alt changes the produced character on macOS). */
  code: string;
  alt: boolean;
  /** Ctrl on Windows/Linux, ⌘ on macOS. */
  primary: boolean;
  shift: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'microphone', label: 'Turn microphone on or off', code: 'KeyD', primary: true, alt: false, shift: false },
  { action: 'camera', label: 'Turn camera on or off', code: 'KeyE', primary: true, alt: false, shift: false },
  { action: 'hand', label: 'Raise or lower your hand', code: 'KeyH', primary: true, alt: true, shift: false },
  { action: 'chat', label: 'Open or close chat', code: 'KeyC', primary: true, alt: true, shift: false },
  { action: 'participants', label: 'Show or hide participants', code: 'KeyP', primary: true, alt: true, shift: false },
  { action: 'help', label: 'Show keyboard shortcuts', code: 'Slash', primary: true, alt: false, shift: false },
];

export interface KeyLike {
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

function isMac(platform = typeof navigator !== 'undefined' ? navigator.platform : ''): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

export function matchShortcut(e: KeyLike, mac = isMac()): ShortcutAction | null {
  const primary = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  for (const s of SHORTCUTS) {
    if (e.code === s.code && primary === s.primary && e.altKey === s.alt && e.shiftKey === s.shift) return s.action;
  }
  return null;
}

export function describeShortcut(s: Shortcut, mac = isMac()): string[] {
  const keys: string[] = [];
  if (s.primary) keys.push(mac ? '⌘' : 'Ctrl');
  if (s.alt) keys.push(mac ? '⌥' : 'Alt');
  if (s.shift) keys.push('Shift');
  keys.push(s.code === 'Slash' ? '/' : s.code.replace(/^Key/, ''));
  return keys;
}

export function shortcutFor(action: ShortcutAction, mac = isMac()): string {
  const s = SHORTCUTS.find((x) => x.action === action);
  return s ? describeShortcut(s, mac).join('+') : '';
}
