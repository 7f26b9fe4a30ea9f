// Window background colours, painted before a page has loaded its CSS. They follow the OS theme
// (nativeTheme) and are the renderer's own tokens (renderer/src/styles/tokens.css; a unit test keeps
// them equal), so a window never flashes dark on a light desktop or the other way round.
import type { BrowserWindow, NativeTheme } from 'electron';

export type WindowSurface = 'page' | 'bar';

const BACKGROUNDS: Record<'dark' | 'light', Record<WindowSurface, string>> = {
  // --color-bg (pages) and --color-surface (the share bar)
  dark: { page: '#0f1115', bar: '#181b21' },
  light: { page: '#f4f6f9', bar: '#ffffff' },
};

export const WINDOW_BACKGROUNDS = BACKGROUNDS;

export interface WindowTheme {
  background(surface: WindowSurface): string;
  /** Keeps a window's background in step with the OS theme until it closes. */
  follow(window: BrowserWindow, surface: WindowSurface): void;
}

export function createWindowTheme(nativeTheme: Pick<NativeTheme, 'shouldUseDarkColors' | 'on' | 'removeListener'>): WindowTheme {
  const background = (surface: WindowSurface): string => BACKGROUNDS[nativeTheme.shouldUseDarkColors ? 'dark' : 'light'][surface];
  return {
    background,
    follow(window, surface) {
      const update = (): void => {
        if (!window.isDestroyed()) window.setBackgroundColor(background(surface));
      };
      nativeTheme.on('updated', update);
      window.once('closed', () => nativeTheme.removeListener('updated', update));
    },
  };
}
