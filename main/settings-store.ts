// Settings persisted as JSON in userData, validated by the contract's schema on every load and
// write. A damaged file is kept aside (never silently overwritten) and defaults are used.
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings, type SettingsPatch } from '@contracts/desktop';
import { ParleyError } from './errors';
import type { Logger } from './log';

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Promise<Settings>;
  onChange(listener: (settings: Settings, previous: Settings) => void): () => void;
}

function loadSettings(filePath: string, log: Logger): Settings {
  let raw: string;
  try {
    raw = readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('settings.read_failed', { error });
    return structuredClone(DEFAULT_SETTINGS);
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    // Sections added in later releases come from the defaults; unknown keys are dropped.
    const merged = typeof parsed === 'object' && parsed !== null ? { ...DEFAULT_SETTINGS, ...parsed } : parsed;
    return SettingsSchema.parse(merged);
  } catch (error) {
    const aside = `${filePath}.corrupt-${Date.now()}`;
    try {
      renameSync(filePath, aside);
    } catch {
      // Keeping the copy is best effort; the defaults are used either way.
    }
    log.error('settings.invalid_file', { error, keptAs: aside });
    return structuredClone(DEFAULT_SETTINGS);
  }
}

export function createSettingsStore(filePath: string, log: Logger): SettingsStore {
  let settings = loadSettings(filePath, log);
  const listeners = new Set<(settings: Settings, previous: Settings) => void>();
  let writes: Promise<void> = Promise.resolve();

  async function persist(value: Settings): Promise<void> {
    mkdirSync(dirname(filePath), { recursive: true });
    const temporary = `${filePath}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, filePath);
  }

  return {
    get: () => settings,
    async update(patch) {
      const result = SettingsSchema.safeParse({ ...settings, ...patch, version: 1 });
      if (!result.success) throw new ParleyError('SETTINGS_INVALID', result.error.issues[0]?.message ?? 'Invalid settings.');
      const previous = settings;
      settings = result.data;
      const write = writes.then(() => persist(result.data));
      writes = write.catch((error: unknown) => log.error('settings.write_failed', { error }));
      await write;
      for (const listener of listeners) listener(settings, previous);
      return settings;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
