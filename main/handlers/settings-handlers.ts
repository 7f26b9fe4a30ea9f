// settings:* — main owns the file; the renderer reads it and replaces whole sections.
import type { HandlerGroup } from '../ipc';
import type { SettingsStore } from '../settings-store';

export function settingsHandlers(settings: SettingsStore): HandlerGroup<'settings:get' | 'settings:update'> {
  return {
    'settings:get': () => settings.get(),
    'settings:update': (patch) => settings.update(patch),
  };
}
