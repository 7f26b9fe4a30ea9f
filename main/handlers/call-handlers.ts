// The call as the shell sees it: the renderer's state reports, notifications it asks for, and the
// state of the global shortcuts that act on the call.
import type { CallState } from '@contracts/desktop';
import type { HandlerGroup } from '../ipc';
import type { Notifier } from '../notifications';
import type { Shortcuts } from '../shortcuts';

export interface CallHandlerDeps {
  setCallState(state: CallState): void;
  notifier: Notifier;
  shortcuts: Pick<Shortcuts, 'status'>;
}

export function callHandlers(deps: CallHandlerDeps): HandlerGroup<'call:update-state' | 'notification:show' | 'shortcuts:get-status'> {
  return {
    'call:update-state': (state) => {
      deps.setCallState(state);
      return null;
    },
    'notification:show': (request) => deps.notifier.show(request),
    'shortcuts:get-status': () => deps.shortcuts.status(),
  };
}
