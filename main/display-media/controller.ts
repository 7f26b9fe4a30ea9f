// Answers the renderer's getDisplayMedia (livekit-client's setScreenShareEnabled) through
// session.setDisplayMediaRequestHandler. Every request is answered exactly once: with the chosen
// source, or with null (a clean NotAllowedError in the page) on cancel, a closed picker, a closed
// requesting window, a foreign origin, a second concurrent request, or an error.
import { randomUUID } from 'node:crypto';
import type { DesktopCapturer, DisplayMediaRequestHandlerHandlerRequest, Streams, WebContents, WebFrameMain } from 'electron';
import type { PickerChoice, PickerState, ScreenAccess, WindowRole } from '@contracts/desktop';
import { isAppUrl } from '../app-url';
import { ParleyError } from '../errors';
import type { Logger } from '../log';
import type { ShareCapabilities } from './platform';
import type { SourceLister } from './sources';

export type DisplayMediaCallback = (streams: Streams | null) => void;

export interface PickerWindowHandle {
  sendState(state: PickerState): void;
  focus(): void;
  close(): void;
  onClosed(listener: () => void): void;
}

export interface ShareStarted {
  sourceId: string;
  sourceName: string;
  kind: 'screen' | 'window';
  /** For screens, the Display id (to notice it being unplugged); null when unknown. */
  displayId: string | null;
  requester: WebContents;
  withAudio: boolean;
}

export interface DisplayMediaDeps {
  capabilities: ShareCapabilities;
  sources: SourceLister;
  /** Used directly on Wayland, where one getSources call is the portal picker. */
  desktopCapturer: Pick<DesktopCapturer, 'getSources'>;
  contentsOfFrame(frame: WebFrameMain): WebContents | null;
  roleOf(contents: WebContents): WindowRole | null;
  openPicker(requestId: string): PickerWindowHandle;
  screenAccess(): ScreenAccess['status'];
  onShareStarted(share: ShareStarted): void;
  log: Logger;
  /** How often thumbnails are refreshed while the picker is open. */
  refreshIntervalMs?: number;
  newRequestId?: () => string;
}

export type DenyReason =
  | 'foreign-origin'
  | 'not-main-window'
  | 'no-video'
  | 'busy'
  | 'cancelled'
  | 'picker-closed'
  | 'requester-closed'
  | 'portal-cancelled'
  | 'error';

interface PendingRequest {
  id: string;
  state: PickerState;
  answer: DisplayMediaCallback;
  requester: WebContents;
  picker: PickerWindowHandle | null;
  timer: ReturnType<typeof setInterval> | null;
  refreshing: boolean;
  screenDisplayIds: Map<string, string>;
}

export interface DisplayMediaController {
  handleRequest(request: DisplayMediaRequestHandlerHandlerRequest, callback: DisplayMediaCallback): void;
  getState(): PickerState;
  choose(choice: PickerChoice): void;
  cancel(requestId: string): void;
  /** Answers anything pending (app quitting). */
  dispose(): void;
}

export function createDisplayMediaController(deps: DisplayMediaDeps): DisplayMediaController {
  const log = deps.log.child({ module: 'display-media' });
  const refreshIntervalMs = deps.refreshIntervalMs ?? 4000;
  const newRequestId = deps.newRequestId ?? randomUUID;
  let pending: PendingRequest | null = null;
  let portalBusy = false;

  function once(callback: DisplayMediaCallback): DisplayMediaCallback {
    let answered = false;
    return (streams) => {
      if (answered) return;
      answered = true;
      try {
        callback(streams);
      } catch (error) {
        // Electron throws when the requesting frame is already gone; nothing is waiting then.
        log.warn('display-media.answer_failed', { error });
      }
    };
  }

  function deny(answer: DisplayMediaCallback, reason: DenyReason, requestId?: string): void {
    log.info('display-media.denied', { reason, requestId });
    answer(null);
  }

  function finish(requestId: string, streams: Streams | null, reason: DenyReason | 'chosen'): void {
    const request = pending;
    if (!request || request.id !== requestId) return;
    pending = null;
    if (request.timer) clearInterval(request.timer);
    if (streams) {
      log.info('display-media.granted', { requestId, audio: streams.audio !== undefined });
      request.answer(streams);
    } else deny(request.answer, reason === 'chosen' ? 'error' : reason, requestId);
    request.picker?.close();
  }

  function publish(request: PendingRequest): void {
    if (pending === request) request.picker?.sendState(request.state);
  }

  async function refresh(request: PendingRequest, thumbnails: boolean): Promise<void> {
    if (request.refreshing || pending !== request) return;
    request.refreshing = true;
    try {
      const listed = await deps.sources.list({ thumbnails });
      if (pending !== request) return;
      request.screenDisplayIds = new Map(listed.flatMap((source) => (source.displayId ? [[source.id, source.displayId] as const] : [])));
      const sources = listed.map(({ displayId: _displayId, ...source }) => source);
      request.state = { ...request.state, sources, loadingThumbnails: request.state.loadingThumbnails && !thumbnails };
      publish(request);
    } catch (error) {
      log.warn('display-media.list_failed', { requestId: request.id, thumbnails, error });
      if (thumbnails && pending === request && request.state.loadingThumbnails) {
        request.state = { ...request.state, loadingThumbnails: false };
        publish(request);
      }
    } finally {
      request.refreshing = false;
    }
  }

  async function startListing(request: PendingRequest): Promise<void> {
    await refresh(request, false);
    await refresh(request, true);
    if (pending !== request) return;
    // Windows come and go while the picker is open; refresh in the background, never blocking it.
    request.timer = setInterval(() => void refresh(request, true), refreshIntervalMs);
  }

  async function viaWaylandPortal(answer: DisplayMediaCallback, requester: WebContents, audioRequested: boolean): Promise<void> {
    portalBusy = true;
    try {
      // One call with both types is one combined portal dialog; Parley shows nothing of its own.
      const [source] = await deps.desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 } });
      if (!source) return deny(answer, 'portal-cancelled');
      log.info('display-media.granted', { via: 'wayland-portal', audio: false, audioRequested });
      answer({ video: { id: source.id, name: source.name } });
      deps.onShareStarted({
        sourceId: source.id,
        sourceName: source.name || 'your screen',
        kind: source.id.startsWith('screen:') ? 'screen' : 'window',
        displayId: null,
        requester,
        withAudio: false,
      });
    } catch (error) {
      log.warn('display-media.portal_failed', { error });
      deny(answer, 'error');
    } finally {
      portalBusy = false;
    }
  }

  return {
    handleRequest(request, callback) {
      const answer = once(callback);
      try {
        const frame = request.frame;
        if (!frame || frame.parent !== null || !isAppUrl(frame.url) || !isAppUrl(request.securityOrigin)) {
          return deny(answer, 'foreign-origin');
        }
        const requester = deps.contentsOfFrame(frame);
        if (!requester || requester.isDestroyed() || deps.roleOf(requester) !== 'main') return deny(answer, 'not-main-window');
        if (!request.videoRequested) return deny(answer, 'no-video');
        if (pending || portalBusy) {
          pending?.picker?.focus();
          return deny(answer, 'busy');
        }

        if (deps.capabilities.picker === 'wayland-portal') {
          void viaWaylandPortal(answer, requester, request.audioRequested);
          return;
        }

        const access = deps.capabilities.screenRecordingPermission ? deps.screenAccess() : 'granted';
        const blocked = access === 'denied' || access === 'restricted';
        const id = newRequestId();
        const entry: PendingRequest = {
          id,
          answer,
          requester,
          picker: null,
          timer: null,
          refreshing: false,
          screenDisplayIds: new Map(),
          state: {
            requestId: id,
            mode: blocked ? 'screen-permission-needed' : 'choose',
            sources: [],
            loadingThumbnails: !blocked,
            audio: { supported: deps.capabilities.audio && request.audioRequested, requested: request.audioRequested },
          },
        };
        pending = entry;
        log.info('display-media.requested', { requestId: id, mode: entry.state.mode, audioRequested: request.audioRequested });

        requester.once('destroyed', () => finish(id, null, 'requester-closed'));
        entry.picker = deps.openPicker(id);
        entry.picker.onClosed(() => finish(id, null, 'picker-closed'));
        if (!blocked) void startListing(entry);
      } catch (error) {
        log.error('display-media.request_failed', { error });
        deny(answer, 'error');
      }
    },

    getState() {
      if (!pending) throw new ParleyError('PICKER_STALE_REQUEST', 'No screen share is waiting for a choice.');
      return pending.state;
    },

    choose(choice) {
      const request = pending;
      if (!request || request.id !== choice.requestId)
        throw new ParleyError('PICKER_STALE_REQUEST', 'That screen share request is no longer waiting.');
      if (request.state.mode !== 'choose') throw new ParleyError('PICKER_UNKNOWN_SOURCE', 'Screen recording is not allowed yet.');
      const source = request.state.sources.find((candidate) => candidate.id === choice.sourceId);
      if (!source) throw new ParleyError('PICKER_UNKNOWN_SOURCE', 'That screen or window is no longer available.');
      const withAudio = choice.shareAudio && request.state.audio.supported;
      const streams: Streams = withAudio
        ? { video: { id: source.id, name: source.name }, audio: 'loopback' }
        : { video: { id: source.id, name: source.name } };
      const requester = request.requester;
      finish(request.id, streams, 'chosen');
      deps.onShareStarted({
        sourceId: source.id,
        sourceName: source.kind === 'screen' ? source.label : source.name,
        kind: source.kind,
        displayId: request.screenDisplayIds.get(source.id) ?? null,
        requester,
        withAudio,
      });
    },

    cancel(requestId) {
      if (!pending || pending.id !== requestId)
        throw new ParleyError('PICKER_STALE_REQUEST', 'That screen share request is no longer waiting.');
      finish(requestId, null, 'cancelled');
    },

    dispose() {
      if (pending) finish(pending.id, null, 'cancelled');
    },
  };
}
