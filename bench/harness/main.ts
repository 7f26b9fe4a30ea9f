// The bench harness page: livekit-client and bare RTCPeerConnection driven from Node through
// playwright. Everything is on window.bench so the bench scripts call it with page.evaluate.
// It never imports Parley UI code: figures 2 and 3 measure the media path, not the app.
import { Room, RoomEvent, Track, VideoPresets, type RemoteTrack, type RoomOptions } from 'livekit-client';
import { gridGeometry } from '@renderer/lib/layout';
import { clockMs, drawStamp, readStamp, stampLatency } from './stamp';

// Chromium's insertable streams (not in TypeScript's DOM lib yet).
declare class MediaStreamTrackProcessor<T> {
  constructor(init: { track: MediaStreamTrack; maxBufferSize?: number });
  readonly readable: ReadableStream<T>;
}

// Every peer connection the page makes (LiveKit's and ours), for getStats.
const pcs: RTCPeerConnection[] = [];
const NativePC = window.RTCPeerConnection;
class TrackedPC extends NativePC {
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this);
  }
}
window.RTCPeerConnection = TrackedPC;

interface State {
  stampTrack?: MediaStreamTrack;
  room?: Room;
  p2p?: RTCPeerConnection;
  samples: Record<string, number[]>;
  seen: Record<string, Set<number>>;
  firstFrameAt: Record<string, number>;
  readers: (() => void)[];
  rejected: number;
}
const state: State = { samples: {}, seen: {}, firstFrameAt: {}, readers: [], rejected: 0 };

/** A canvas-captured track showing a running timestamp. */
function stampTrack(width = 640, height = 360, fps = 30): MediaStreamTrack {
  if (state.stampTrack) return state.stampTrack;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  let frame = 0;
  const draw = () => drawStamp(ctx, width, height, clockMs(), frame++);
  draw();
  // A timer, not rAF: headless pages throttle rAF. The stamp is drawn at most 1000/fps ms before it
  // is captured on both paths alike, so it cancels in the SFU/P2P ratio.
  setInterval(draw, 1000 / fps);
  const track = canvas.captureStream(fps).getVideoTracks()[0]!;
  state.stampTrack = track;
  return track;
}

/**
 * Reads every decoded frame of `track`, recording stamp latencies under `label`; with firstOnly it
 * records only when the first frame arrives (camera video carries no stamp).
 */
function readStamps(track: MediaStreamTrack, label: string, firstOnly = false): void {
  const processor = new MediaStreamTrackProcessor<VideoFrame>({ track });
  const reader = processor.readable.getReader();
  const w = 320;
  const h = 180;
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  state.samples[label] ??= [];
  state.seen[label] ??= new Set();
  let stopped = false;
  state.readers.push(() => {
    stopped = true;
    void reader.cancel();
  });
  void (async () => {
    while (!stopped) {
      const { value: frame, done } = await reader.read();
      if (done || !frame) return;
      const now = clockMs();
      state.firstFrameAt[label] ??= now;
      if (firstOnly) {
        frame.close();
        void reader.cancel();
        return;
      }
      ctx.drawImage(frame, 0, 0, w, h);
      frame.close();
      const pixels = ctx.getImageData(0, 0, w, h).data;
      const stamp = readStamp(pixels, w, h);
      if (stamp === null) state.rejected++;
      // A frame repeated by the capturer carries an old stamp: count each stamp once.
      if (stamp === null || state.seen[label]!.has(stamp)) continue;
      state.seen[label]!.add(stamp);
      state.samples[label]!.push(stampLatency(stamp, now));
    }
  })();
}

/** Resolves once ICE gathering is complete, so one offer/answer exchange is enough (no trickle). */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (pc.iceGatheringState === 'complete') {
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      }
    };
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/**
 * Lays the tiles out with Parley's own grid geometry (renderer/src/lib/layout.ts: the column count
 * that gives the largest 16:9 tiles, 8 px gaps), so adaptive stream sees the tile sizes the app shows.
 */
function layoutGrid(): void {
  const grid = document.getElementById('grid')!;
  const n = Math.max(grid.children.length, 1);
  const g = gridGeometry(n, window.innerWidth - 8, window.innerHeight - 8, 8);
  grid.style.gridTemplateColumns = `repeat(${g.cols}, ${Math.floor(g.tileWidth)}px)`;
  grid.style.gridTemplateRows = `repeat(${g.rows}, ${Math.floor(g.tileHeight)}px)`;
}

const bench = {
  clockMs,

  stampTrack(width?: number, height?: number, fps?: number): void {
    stampTrack(width, height, fps);
  },

  /** The fake camera at Parley's capture size (1280x720, 30 fps), used instead of the stamp. */
  async cameraTrack(): Promise<void> {
    const s = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: false });
    state.stampTrack = s.getVideoTracks()[0]!;
  },

  /** Publishes the camera track like Parley does: VP8, 720p top layer at 1.7 Mbps, h180 + h360 simulcast. */
  async lkPublishCamera(): Promise<void> {
    await state.room!.localParticipant.publishTrack(state.stampTrack!, {
      source: Track.Source.Camera,
      simulcast: true,
      videoCodec: 'vp8',
      videoEncoding: VideoPresets.h720.encoding,
      videoSimulcastLayers: [VideoPresets.h180, VideoPresets.h360],
    });
  },

  async lkConnect(
    url: string,
    token: string,
    opts: { adaptiveStream: boolean; dynacast?: boolean; grid?: boolean; stamps?: string },
  ): Promise<void> {
    const roomOpts: RoomOptions = { adaptiveStream: opts.adaptiveStream, dynacast: opts.dynacast ?? true };
    const room = new Room(roomOpts);
    state.room = room;
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind !== Track.Kind.Video) {
        // Audio is played like the app does (and its bitrate counts in the downlink).
        if (opts.grid) document.body.appendChild(track.attach());
        return;
      }
      if (opts.grid) {
        const el = track.attach() as HTMLVideoElement;
        el.muted = true;
        document.getElementById('grid')!.appendChild(el);
        layoutGrid();
      }
      if (opts.stamps) readStamps(track.mediaStreamTrack, opts.stamps);
    });
    room.on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
      track.detach().forEach((el) => el.remove());
      layoutGrid();
    });
    await room.connect(url, token, { autoSubscribe: true });
  },

  async lkPublishStamp(opts: { simulcast: boolean; codec?: 'vp8' | 'vp9' | 'h264' }): Promise<void> {
    const track = state.stampTrack ?? stampTrack();
    await state.room!.localParticipant.publishTrack(track, {
      source: Track.Source.Camera,
      simulcast: opts.simulcast,
      videoCodec: opts.codec ?? 'vp8',
      videoEncoding: VideoPresets.h360.encoding,
    });
  },

  async lkDisconnect(): Promise<void> {
    await state.room?.disconnect();
    state.room = undefined;
    document.getElementById('grid')!.replaceChildren();
  },

  /** P2P sender: offers the stamp (or camera) track; returns the complete offer SDP. */
  async p2pOffer(): Promise<{ sdp: string; t0: number }> {
    const t0 = clockMs();
    const pc = new RTCPeerConnection();
    state.p2p = pc;
    pc.addTrack(state.stampTrack ?? stampTrack());
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    return { sdp: pc.localDescription!.sdp, t0 };
  },

  /** P2P receiver: answers, and reads stamps (or just the first frame) of the incoming video. */
  async p2pAnswer(sdp: string, label: string, firstOnly = false): Promise<string> {
    const pc = new RTCPeerConnection();
    state.p2p = pc;
    pc.addEventListener('track', (e) => {
      if (e.track.kind === 'video') readStamps(e.track, label, firstOnly);
    });
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    return pc.localDescription!.sdp;
  },

  async p2pAccept(sdp: string): Promise<void> {
    await state.p2p!.setRemoteDescription({ type: 'answer', sdp });
  },

  /**
   * The join-time floor, sender side: createOffer to the receiver over the loopback relay with
   * trickle ICE (no waiting for gathering), like a real client would signal. Returns the clock at
   * createOffer.
   */
  async p2pTrickleSend(channel: string): Promise<number> {
    const pc = new RTCPeerConnection();
    state.p2p = pc;
    const post = (m: unknown) => fetch(`/signal?to=${channel}-recv`, { method: 'POST', body: JSON.stringify(m) });
    const events = new EventSource(`/signal?me=${channel}-send`);
    await new Promise((r) => events.addEventListener('open', r, { once: true }));
    events.onmessage = (e: MessageEvent<string>) => {
      const m = JSON.parse(e.data) as { answer?: string; cand?: RTCIceCandidateInit };
      if (m.answer) void pc.setRemoteDescription({ type: 'answer', sdp: m.answer });
      if (m.cand) void pc.addIceCandidate(m.cand);
    };
    pc.onicecandidate = (e) => {
      if (e.candidate) void post({ cand: e.candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' || pc.connectionState === 'closed') events.close();
    };
    pc.addTrack(state.stampTrack ?? stampTrack());
    const t0 = clockMs();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    void post({ offer: offer.sdp });
    return t0;
  },

  /** The join-time floor, receiver side: answers over the relay and records the first decoded frame. */
  async p2pTrickleReceive(channel: string): Promise<void> {
    const pc = new RTCPeerConnection();
    state.p2p = pc;
    const post = (m: unknown) => fetch(`/signal?to=${channel}-send`, { method: 'POST', body: JSON.stringify(m) });
    const events = new EventSource(`/signal?me=${channel}-recv`);
    await new Promise((r) => events.addEventListener('open', r, { once: true }));
    const early: RTCIceCandidateInit[] = [];
    events.onmessage = (e: MessageEvent<string>) => {
      const m = JSON.parse(e.data) as { offer?: string; cand?: RTCIceCandidateInit };
      if (m.cand) {
        if (pc.remoteDescription) void pc.addIceCandidate(m.cand);
        else early.push(m.cand);
      }
      if (m.offer) {
        void (async () => {
          await pc.setRemoteDescription({ type: 'offer', sdp: m.offer });
          for (const c of early.splice(0)) void pc.addIceCandidate(c);
          const answer = await pc.createAnswer();
          await pc.setLocalDescription(answer);
          void post({ answer: answer.sdp });
        })();
      }
    };
    pc.onicecandidate = (e) => {
      if (e.candidate) void post({ cand: e.candidate.toJSON() });
    };
    pc.ontrack = (e) => {
      if (e.track.kind === 'video') readStamps(e.track, channel, true);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' || pc.connectionState === 'closed') events.close();
    };
  },

  p2pClose(): void {
    state.p2p?.close();
    state.p2p = undefined;
  },

  /** Clock time of the first decoded frame under `label` (waits up to timeoutMs). */
  async firstFrame(label: string, timeoutMs = 20_000): Promise<number> {
    const end = performance.now() + timeoutMs;
    while (state.firstFrameAt[label] === undefined) {
      if (performance.now() > end) throw new Error(`no frame for ${label}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return state.firstFrameAt[label]!;
  },

  /** Returns and clears the latency samples of every label. */
  takeSamples(): Record<string, number[]> {
    const out = state.samples;
    state.samples = Object.fromEntries(Object.keys(out).map((k) => [k, []]));
    return out;
  },

  /** Frames whose stamp could not be read (smeared by the encoder); should stay near 0. */
  rejectedFrames(): number {
    return state.rejected;
  },

  reset(): void {
    for (const stop of state.readers) stop();
    state.readers = [];
    state.samples = {};
    state.seen = {};
    state.firstFrameAt = {};
  },

  /** Sums inbound RTP over every live peer connection: bytes, decoded frames, per-track sizes. */
  async inbound(): Promise<{
    bytes: number;
    videoBytes: number;
    framesDecoded: number;
    videoTracks: number;
    widths: number[];
    at: number;
  }> {
    let bytes = 0;
    let videoBytes = 0;
    let framesDecoded = 0;
    let videoTracks = 0;
    const widths: number[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; kind?: string; bytesReceived?: number; framesDecoded?: number; frameWidth?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        bytes += s.bytesReceived ?? 0;
        if (s.kind === 'video') {
          videoBytes += s.bytesReceived ?? 0;
          framesDecoded += s.framesDecoded ?? 0;
          videoTracks++;
          widths.push(s.frameWidth ?? 0);
        }
      });
    }
    return { bytes, videoBytes, framesDecoded, videoTracks, widths, at: performance.now() };
  },

  tiles(): number {
    return document.querySelectorAll('#grid video').length;
  },
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
document.title = 'bench ready';
