// The only place Parley constructs BrowserWindows. Every window gets the same locked-down
// webPreferences; callers choose size and chrome, never security.
import type { BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { WindowRole } from '@contracts/desktop';
import type { WindowTheme } from './theme';
import type { WindowRegistry } from './window-registry';

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => ElectronBrowserWindow;

/**
 * Options a caller may set: everything but webPreferences (plus the harmless few inside it) and the
 * background colour, which follows the OS theme.
 */
export type WindowOptions = Omit<BrowserWindowConstructorOptions, 'webPreferences' | 'backgroundColor'> & {
  spellcheck?: boolean;
  backgroundThrottling?: boolean;
};

export type CreateWindow = (role: WindowRole, options: WindowOptions) => ElectronBrowserWindow;

export interface WindowFactoryDeps {
  BrowserWindow: BrowserWindowClass;
  preloadPath: string;
  registry: WindowRegistry;
  theme: WindowTheme;
}

export function createWindowFactory({ BrowserWindow, preloadPath, registry, theme }: WindowFactoryDeps): CreateWindow {
  return (role, { spellcheck, backgroundThrottling, ...options }) => {
    const surface = role === 'share-bar' ? 'bar' : 'page';
    // Written out literally (not spread from a constant) so reviewers and electronegativity can
    // read the effective preferences at the construction site.
    const window = new BrowserWindow({
      ...options,
      backgroundColor: theme.background(surface),
      webPreferences: {
        // Reviewed: the preload exposes only the typed bridge (preload/index.ts) to parley://app.
        preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        // Middle-click must not open links in new windows behind the window-open handler's back.
        disableBlinkFeatures: 'Auxclick',
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: spellcheck ?? false,
        backgroundThrottling: backgroundThrottling ?? true,
      },
    });
    registry.register(window.webContents, role);
    theme.follow(window, surface);
    return window;
  };
}

/** The preferences every window must end up with; the unit test checks each created window. */
export const REQUIRED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
} as const;
