// A track that arrived over the direct connection, shaped like what tiles and audio elements use
// from a LiveKit track (attach/detach, sid), so the meeting view renders both paths the same way.
import type { TrackHandle } from '../livekit/types';

type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

export class DirectTrack implements TrackHandle {
  readonly sid: string;
  readonly kind: 'audio' | 'video';
  readonly mediaStreamTrack: MediaStreamTrack;
  #elements = new Set<SinkElement>();
  #rendered = false;
  #onRendered = new Set<() => void>();
  #sinkId: string | undefined;

  constructor(track: MediaStreamTrack, sid: string, sinkId?: string) {
    this.mediaStreamTrack = track;
    this.kind = track.kind === 'audio' ? 'audio' : 'video';
    this.sid = sid;
    this.#sinkId = sinkId;
  }

  /** True once an element this track is attached to has played (audio) or shown a frame (video). */
  get rendered(): boolean {
    return this.#rendered;
  }

  onRendered(run: () => void): () => void {
    if (this.#rendered) {
      run();
      return () => undefined;
    }
    this.#onRendered.add(run);
    return () => this.#onRendered.delete(run);
  }

  attach(element: HTMLMediaElement): HTMLMediaElement {
    const el = element as SinkElement;
    this.#elements.add(el);
    el.srcObject = new MediaStream([this.mediaStreamTrack]);
    el.autoplay = true;
    if (el instanceof HTMLVideoElement) el.playsInline = true;
    if (this.kind === 'audio' && this.#sinkId && el.setSinkId) void el.setSinkId(this.#sinkId).catch(() => undefined);
    const done = (): void => this.#markRendered();
    if (this.kind === 'video' && 'requestVideoFrameCallback' in el) {
      (el as HTMLVideoElement).requestVideoFrameCallback(done);
    } else {
      el.addEventListener('playing', done, { once: true });
    }
    void el.play().catch(() => undefined);
    return el;
  }

  detach(element: HTMLMediaElement): HTMLMediaElement {
    const el = element as SinkElement;
    this.#elements.delete(el);
    const stream = el.srcObject;
    if (stream instanceof MediaStream && stream.getTracks().includes(this.mediaStreamTrack)) el.srcObject = null;
    return el;
  }

  /** Follows the speaker chosen in the meeting (LiveKit does this for its own tracks only). */
  setSinkId(id: string | undefined): void {
    this.#sinkId = id;
    if (this.kind !== 'audio' || !id) return;
    for (const el of this.#elements) if (el.setSinkId) void el.setSinkId(id).catch(() => undefined);
  }

  #markRendered(): void {
    if (this.#rendered) return;
    this.#rendered = true;
    for (const run of this.#onRendered) run();
    this.#onRendered.clear();
  }
}
