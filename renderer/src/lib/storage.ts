// Remembered choices (pre-join devices, theme, background effect, the last server). localStorage survives restarts in
// both the browser and the desktop app's own origin; values are validated on the way back in.
import { z } from 'zod';

export const PreJoinChoicesSchema = z.object({
  audioInputId: z.string().nullable(),
  videoInputId: z.string().nullable(),
  audioOutputId: z.string().nullable(),
  micEnabled: z.boolean(),
  cameraEnabled: z.boolean(),
  displayName: z.string().max(64),
});
export type PreJoinChoices = z.infer<typeof PreJoinChoicesSchema>;

export const DEFAULT_CHOICES: PreJoinChoices = {
  audioInputId: null,
  videoInputId: null,
  audioOutputId: null,
  micEnabled: true,
  cameraEnabled: true,
  displayName: '',
};

export const SessionSchema = z.object({ serverUrl: z.string(), token: z.string().nullable() });

export const ThemeSchema = z.enum(['dark', 'light', 'system']);
export type ThemeChoice = z.infer<typeof ThemeSchema>;

function store(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // Storage can throw when disabled by policy.
  }
}

export function load<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = store()?.getItem(key);
  if (!raw) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export function save<T>(key: string, value: T): void {
  try {
    store()?.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or disabled storage: the choice just is not remembered.
  }
}

export function remove(key: string): void {
  store()?.removeItem(key);
}

export const KEYS = {
  choices: 'parley.prejoin',
  session: 'parley.session',
  theme: 'parley.theme',
  /** The key predates this module; kept so a remembered effect survives the update. */
  backgroundEffect: 'parley.media.backgroundEffect',
} as const;
