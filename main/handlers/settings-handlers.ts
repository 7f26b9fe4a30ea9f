// settings:* — main owns the file; the renderer reads it and replaces whole sections.
import type { SettingsPatch } from '@contracts/desktop';
import type { HandlerGroup } from '../ipc';
import type { SettingsStore } from '../settings-store';

/** `check` refuses what a page may not change this way (adding a team server: servers:add). */
export function settingsHandlers(
  settings: SettingsStore,
  check: (patch: SettingsPatch) => void,
): HandlerGroup<'settings:get' | 'settings:update'> {
  return {
    'settings:get': () => settings.get(),
    'settings:update': (patch) => {
      check(patch);
      return settings.update(patch);
    },
  };
}
