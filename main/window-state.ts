// Remembers the main window's position and size, and never restores it somewhere off-screen
// (a monitor that was unplugged since).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';
import type { Logger } from './log';

const WindowStateSchema = z.object({
  bounds: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200), height: z.number().int().min(200) }),
  maximized: z.boolean(),
  fullScreen: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface RestoredWindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
  fullScreen: boolean;
}

const MIN_VISIBLE = 80;

function visibleOn(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  return workAreas.some((area) => {
    const width = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const height = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return width >= MIN_VISIBLE && height >= MIN_VISIBLE;
  });
}

export function restoreWindowState(
  filePath: string,
  workAreas: readonly Rectangle[],
  defaults: { width: number; height: number },
  log: Logger,
): RestoredWindowState {
  let state: WindowState;
  try {
    state = WindowStateSchema.parse(JSON.parse(readFileSync(filePath, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('window-state.unreadable', { error });
    return { ...defaults, maximized: false, fullScreen: false };
  }
  const { bounds } = state;
  if (!visibleOn(bounds, workAreas)) {
    // Keep the size, let the OS place it on a screen that exists.
    return { width: bounds.width, height: bounds.height, maximized: state.maximized, fullScreen: false };
  }
  return { ...bounds, maximized: state.maximized, fullScreen: state.fullScreen };
}

export function trackWindowState(window: BrowserWindow, filePath: string, log: Logger, debounceMs = 400): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (window.isDestroyed()) return;
    const state: WindowState = {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
      fullScreen: window.isFullScreen(),
    };
    try {
      mkdirSync(dirname(filePath), { recursive: true });
      writeFileSync(filePath, JSON.stringify(state));
    } catch (error) {
      log.warn('window-state.write_failed', { error });
    }
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) {
    window.on(event as 'resize', schedule);
  }
  window.on('close', save);
  return save;
}
