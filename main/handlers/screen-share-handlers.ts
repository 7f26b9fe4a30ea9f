// Screen sharing: the picker's choice or cancel, the share bar's Stop, and macOS screen access.
import type { ScreenAccess } from '@contracts/desktop';
import type { DisplayMediaController } from '../display-media/controller';
import type { ShareSession } from '../display-media/share-session';
import type { HandlerGroup } from '../ipc';
import type { ShareBar } from '../share-bar';

export interface ScreenShareHandlerDeps {
  displayMedia: DisplayMediaController;
  shareBar: Pick<ShareBar, 'state'>;
  shareSession: Pick<ShareSession, 'stopRequested'>;
  screenAccess(): ScreenAccess['status'];
  /** Opens the OS pane where screen recording is granted (macOS; nothing elsewhere). */
  openScreenSettings(): Promise<void>;
}

type ScreenShareChannel =
  | 'screen:get-access'
  | 'screen:open-settings'
  | 'picker:get-state'
  | 'picker:choose'
  | 'picker:cancel'
  | 'share-bar:get-state'
  | 'share-bar:stop';

export function screenShareHandlers(deps: ScreenShareHandlerDeps): HandlerGroup<ScreenShareChannel> {
  return {
    'screen:get-access': () => ({ status: deps.screenAccess() }),
    'screen:open-settings': async () => {
      await deps.openScreenSettings();
      return null;
    },
    'picker:get-state': () => deps.displayMedia.getState(),
    'picker:choose': (choice) => {
      deps.displayMedia.choose(choice);
      return null;
    },
    'picker:cancel': ({ requestId }) => {
      deps.displayMedia.cancel(requestId);
      return null;
    },
    'share-bar:get-state': () => deps.shareBar.state() ?? { sourceName: '' },
    'share-bar:stop': () => {
      deps.shareSession.stopRequested();
      return null;
    },
  };
}
