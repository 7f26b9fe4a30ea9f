// Host on this computer: start and stop remember the choice, so the server comes back at launch.
import type { HandlerGroup } from '../ipc';
import type { LocalHost } from '../local-host';
import type { SettingsStore } from '../settings-store';

export function localHostHandlers(
  localHost: LocalHost,
  settings: SettingsStore,
): HandlerGroup<'local-host:get-status' | 'local-host:start' | 'local-host:stop'> {
  const remember = (enabled: boolean): Promise<unknown> => settings.update({ localHost: { ...settings.get().localHost, enabled } });
  return {
    'local-host:get-status': () => localHost.status(),
    'local-host:start': async () => {
      await remember(true);
      return localHost.start();
    },
    'local-host:stop': async () => {
      await remember(false);
      return localHost.stop();
    },
  };
}
