// update:* — check now, and restart to install a downloaded update.
import type { HandlerGroup } from '../ipc';
import type { Updater } from '../updater';

export function updateHandlers(updater: Updater): HandlerGroup<'update:get-status' | 'update:check' | 'update:install'> {
  return {
    'update:get-status': () => updater.status(),
    'update:check': () => updater.check(),
    'update:install': () => {
      updater.install();
      return null;
    },
  };
}
