// The tray icon: shows whether the microphone and camera are live, and offers quick mute and leave
// while the window is hidden (the call keeps running when the window is closed to the tray).
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { CallControl, CallState } from '@contracts/desktop';

export type TrayIconState = 'idle' | 'live' | 'muted';

export function trayIconState(state: CallState): TrayIconState {
  if (!state.inCall) return 'idle';
  return state.microphoneEnabled ? 'live' : 'muted';
}

export function trayTooltip(state: CallState): string {
  if (!state.inCall) return 'Parley';
  const mic = state.microphoneEnabled ? 'microphone on' : 'microphone muted';
  const camera = state.cameraEnabled ? 'camera on' : 'camera off';
  const where = state.room?.title ?? state.room?.room ?? 'a meeting';
  return `Parley — in ${where}: ${mic}, ${camera}${state.sharingScreen ? ', sharing screen' : ''}`;
}

export interface TrayActions {
  show(): void;
  control(action: CallControl['action']): void;
  quit(): void;
}

export function trayMenuTemplate(state: CallState, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: 'Show Parley', click: () => actions.show() }];
  if (state.inCall) {
    items.push(
      { type: 'separator' },
      {
        id: 'toggle-microphone',
        label: state.microphoneEnabled ? 'Mute microphone' : 'Unmute microphone',
        click: () => actions.control('toggle-microphone'),
      },
      {
        id: 'toggle-camera',
        label: state.cameraEnabled ? 'Turn camera off' : 'Turn camera on',
        click: () => actions.control('toggle-camera'),
      },
      { id: 'leave', label: 'Leave meeting', click: () => actions.control('leave') },
    );
  }
  items.push({ type: 'separator' }, { id: 'quit', label: 'Quit Parley', click: () => actions.quit() });
  return items;
}

export interface TrayDeps {
  createTray(icon: NativeImage): Tray;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  icon(state: TrayIconState): NativeImage;
  actions: TrayActions;
}

export interface ParleyTray {
  update(state: CallState): void;
  destroy(): void;
}

export function createParleyTray(deps: TrayDeps, initial: CallState): ParleyTray {
  const tray = deps.createTray(deps.icon(trayIconState(initial)));
  tray.on('click', () => deps.actions.show());
  const update = (state: CallState): void => {
    tray.setImage(deps.icon(trayIconState(state)));
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(deps.buildMenu(trayMenuTemplate(state, deps.actions)));
  };
  update(initial);
  return {
    update,
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
