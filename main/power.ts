// Suspend/resume, lock screen and network changes. Main only tells the renderer what happened and
// whether to recover the call; it never touches devices, and the renderer must not turn the
// camera or microphone back on by itself after a resume.
import type { PowerMonitor, PowerSaveBlocker } from 'electron';
import type { PowerEvent } from '@contracts/desktop';
import type { Logger } from './log';

export interface PowerDeps {
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>;
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop' | 'isStarted'>;
  isOnline(): boolean;
  inCall(): boolean;
  emit(event: PowerEvent): void;
  log: Logger;
  networkPollMs?: number;
}

export interface PowerWatcher {
  /** Keeps the display awake during a call. */
  setInCall(inCall: boolean): void;
  dispose(): void;
}

export function createPowerWatcher(deps: PowerDeps): PowerWatcher {
  const emit = (kind: PowerEvent['kind'], recover: boolean): void => {
    const event: PowerEvent = { kind, recoverCall: recover && deps.inCall() };
    deps.log.info('power.event', event);
    deps.emit(event);
  };
  const onSuspend = (): void => emit('suspend', false);
  const onResume = (): void => emit('resume', true);
  const onLock = (): void => emit('lock-screen', false);
  const onUnlock = (): void => emit('unlock-screen', true);
  deps.powerMonitor.on('suspend', onSuspend);
  deps.powerMonitor.on('resume', onResume);
  deps.powerMonitor.on('lock-screen', onLock);
  deps.powerMonitor.on('unlock-screen', onUnlock);

  // Electron has no network-change event in main; net.isOnline() is cheap enough to poll.
  let online = deps.isOnline();
  const poll = setInterval(() => {
    const now = deps.isOnline();
    if (now === online) return;
    online = now;
    emit(now ? 'network-online' : 'network-offline', now);
  }, deps.networkPollMs ?? 3000);

  let blocker: number | null = null;
  return {
    setInCall(inCall) {
      if (inCall && blocker === null) blocker = deps.powerSaveBlocker.start('prevent-display-sleep');
      if (!inCall && blocker !== null) {
        if (deps.powerSaveBlocker.isStarted(blocker)) deps.powerSaveBlocker.stop(blocker);
        blocker = null;
      }
    },
    dispose() {
      clearInterval(poll);
      deps.powerMonitor.removeListener('suspend', onSuspend);
      deps.powerMonitor.removeListener('resume', onResume);
      deps.powerMonitor.removeListener('lock-screen', onLock);
      deps.powerMonitor.removeListener('unlock-screen', onUnlock);
      this.setInCall(false);
    },
  };
}
