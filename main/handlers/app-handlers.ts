// app:* — what the app is, the renderer saying it listens, and links opened in the browser.
import type { AppInfo } from '@contracts/desktop';
import type { HandlerGroup } from '../ipc';

export interface AppHandlerDeps {
  info(): AppInfo;
  rendererReady(): void;
  openInBrowser(url: string): Promise<void>;
}

export function appHandlers(deps: AppHandlerDeps): HandlerGroup<'app:get-info' | 'app:ready' | 'app:open-external'> {
  return {
    'app:get-info': () => deps.info(),
    'app:ready': () => {
      deps.rendererReady();
      return null;
    },
    'app:open-external': async ({ url }) => {
      await deps.openInBrowser(url);
      return null;
    },
  };
}
