// Which of Parley's windows each webContents belongs to. IPC and permission checks ask this
// instead of trusting anything the page says about itself.
import type { WebContents } from 'electron';
import type { WindowRole } from '@contracts/desktop';

export interface WindowRegistry {
  register(contents: WebContents, role: WindowRole): void;
  roleOf(contents: WebContents | null | undefined): WindowRole | null;
  /** The live webContents of a role (the first registered, for roles with one window). */
  contentsOf(role: WindowRole): WebContents | null;
}

export function createWindowRegistry(): WindowRegistry {
  const roles = new Map<number, { role: WindowRole; contents: WebContents }>();
  return {
    register(contents, role) {
      roles.set(contents.id, { role, contents });
      contents.once('destroyed', () => {
        if (roles.get(contents.id)?.contents === contents) roles.delete(contents.id);
      });
    },
    roleOf(contents) {
      if (!contents || contents.isDestroyed()) return null;
      const entry = roles.get(contents.id);
      return entry && entry.contents === contents ? entry.role : null;
    },
    contentsOf(role) {
      for (const entry of roles.values()) {
        if (entry.role === role && !entry.contents.isDestroyed()) return entry.contents;
      }
      return null;
    },
  };
}
