// Follows one screen share from the grant to its end: shows the share bar, notices the shared
// window closing or the shared screen being unplugged, and tells the renderer to stop.
import type { Display, Screen, WebContents } from 'electron';
import type { CallState, ShareStop } from '@contracts/desktop';
import type { EventSender } from '../ipc';
import type { Logger } from '../log';
import type { ShareBar } from '../share-bar';
import type { ShareStarted } from './controller';
import type { SourceLister } from './sources';

export interface ShareSessionDeps {
  shareBar: ShareBar;
  sources: Pick<SourceLister, 'currentIds'>;
  screen: Pick<Screen, 'on' | 'removeListener'>;
  send: EventSender;
  log: Logger;
  /** How often the shared window's presence is checked. */
  windowPollMs?: number;
  /** Give up on a grant the renderer never turned into a share (it failed in the page). */
  startTimeoutMs?: number;
}

export interface ShareSession {
  started(share: ShareStarted): void;
  /** The renderer's call state; sharingScreen going true -> false ends the session. */
  callStateChanged(state: CallState): void;
  /** The Stop button in the share bar. */
  stopRequested(): void;
  active(): ShareStarted | null;
  dispose(): void;
}

export function createShareSession(deps: ShareSessionDeps): ShareSession {
  const log = deps.log.child({ module: 'share-session' });
  const windowPollMs = deps.windowPollMs ?? 2000;
  const startTimeoutMs = deps.startTimeoutMs ?? 20_000;
  let share: ShareStarted | null = null;
  let seenSharing = false;
  let cleanups: Array<() => void> = [];

  function teardown(): void {
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
    share = null;
    seenSharing = false;
    deps.shareBar.hide();
  }

  function end(reason: ShareStop['reason']): void {
    if (!share) return;
    const requester: WebContents = share.requester;
    log.info('share.ended', { reason, kind: share.kind });
    teardown();
    deps.send(requester, 'share:stop', { reason });
  }

  function watchDisplay(displayId: string): void {
    const onRemoved = (_event: unknown, display: Display): void => {
      if (String(display.id) === displayId) end('display-removed');
    };
    deps.screen.on('display-removed', onRemoved);
    cleanups.push(() => deps.screen.removeListener('display-removed', onRemoved));
  }

  function watchWindow(sourceId: string): void {
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      deps.sources
        .currentIds('window')
        .then((ids) => {
          if (share?.sourceId === sourceId && !ids.has(sourceId)) end('source-closed');
        })
        .catch((error: unknown) => log.warn('share.window_check_failed', { error }))
        .finally(() => {
          checking = false;
        });
    }, windowPollMs);
    cleanups.push(() => clearInterval(timer));
  }

  return {
    started(next) {
      if (share) teardown();
      share = next;
      log.info('share.started', { kind: next.kind, audio: next.withAudio });
      deps.shareBar.show(next.sourceName);
      if (next.kind === 'screen' && next.displayId) watchDisplay(next.displayId);
      if (next.kind === 'window') watchWindow(next.sourceId);
      const startTimer = setTimeout(() => {
        if (share === next && !seenSharing) {
          log.warn('share.never_started');
          teardown();
        }
      }, startTimeoutMs);
      cleanups.push(() => clearTimeout(startTimer));
      const onGone = (): void => {
        if (share === next) teardown();
      };
      next.requester.once('destroyed', onGone);
      cleanups.push(() => next.requester.removeListener('destroyed', onGone));
    },
    callStateChanged(state) {
      if (!share) return;
      if (state.sharingScreen) seenSharing = true;
      else if (seenSharing) {
        log.info('share.stopped_by_renderer');
        teardown();
      }
    },
    stopRequested() {
      end('user');
    },
    active: () => share,
    dispose: teardown,
  };
}
