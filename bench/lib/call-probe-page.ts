// Runs inside the real web client (bundled into an init script by call-probe.ts, installed before
// any of the app's scripts), so a 1:1 call can be measured without the app's cooperation:
//   - with `stamp` on, every camera the app opens is a canvas showing a millisecond clock (the
//     stamp of bench/harness/stamp.ts), so the far end can read the glass-to-glass latency of each
//     frame it shows;
//   - every remote video track that one of the page's <video> elements shows is read frame by frame
//     (a MediaStreamTrackProcessor on a clone); a frame with a readable stamp is recorded with its
//     receive clock and the path it came over ('direct' when it arrived on the app's direct
//     connection, else 'sfu'). Frames of a track no connected <video> shows are not counted: the
//     record is what the person sees, not what arrives;
//   - on request, received audio is sampled every 50 ms from getStats of every peer connection
//     (packets and the arrival time of the latest one, per inbound stream, and whether the stream's
//     track plays in the given person's <audio> element), for media-gaps.ts to find the longest hole;
//   - the first time the app reports its route as 'direct' after the bench armed the page.
import { clockMs, drawStamp, readStamp, stampLatency } from '../harness/stamp';

// Chromium's insertable streams (not in TypeScript's DOM library yet).
declare class MediaStreamTrackProcessor<T> {
  constructor(init: { track: MediaStreamTrack });
  readonly readable: ReadableStream<T>;
}

export interface ShownFrame {
  /** Receive clock (ms, comparable across pages). */
  at: number;
  /** The sender's clock drawn into the frame. */
  stamp: number;
  path: 'direct' | 'sfu';
}

export interface AudioObservation {
  stream: string;
  played: boolean;
  /** Arrival time of the stream's latest packet (the page's wall clock, ms). */
  at: number;
  packets: number;
}

export interface CallProbe {
  /** Shown stamped frames since the last take, in the order read. */
  takeFrames(): ShownFrame[];
  /** Starts sampling the received audio of `identity`'s <audio> elements (clears earlier samples). */
  watchAudio(identity: string): void;
  audio(): AudioObservation[];
  stopAudio(): void;
  /** Receive clock when the app first reported route 'direct' after arm(). */
  directAt?: number;
  arm(): void;
  route(): string;
  /** Decoded frames whose stamp could not be read on a stamped track. */
  rejected: number;
}

interface ProbeWindow {
  __callProbeConfig?: { stamp?: boolean };
  __callProbe?: CallProbe;
  __parleyDirect?: { route: string; connection: RTCPeerConnection | null };
}

const W = window as unknown as ProbeWindow;
const config = W.__callProbeConfig ?? {};
const pcs: RTCPeerConnection[] = [];
let frames: ShownFrame[] = [];
let audioSamples: AudioObservation[] = [];
let audioTimer: ReturnType<typeof setInterval> | undefined;

const NativePC = window.RTCPeerConnection;
function ProbedPC(this: unknown, ...args: ConstructorParameters<typeof RTCPeerConnection>): RTCPeerConnection {
  const pc = new NativePC(...args);
  pcs.push(pc);
  return pc;
}
ProbedPC.prototype = NativePC.prototype;
Object.setPrototypeOf(ProbedPC, NativePC);
window.RTCPeerConnection = ProbedPC as unknown as typeof RTCPeerConnection;

/** The peer connection receiving `track`, if it is a remote track. */
function receiverOf(track: MediaStreamTrack): RTCPeerConnection | undefined {
  return pcs.find((pc) => pc.signalingState !== 'closed' && pc.getReceivers().some((r) => r.track?.id === track.id));
}

// --- the stamped camera ---------------------------------------------------------------------------
let stampSource: MediaStreamTrack | undefined;
function stampTrack(): MediaStreamTrack {
  if (!stampSource) {
    const w = 640;
    const h = 360;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d')!;
    let frame = 0;
    const draw = () => drawStamp(ctx, w, h, clockMs(), frame++);
    draw();
    // A timer, not rAF: headless pages throttle rAF.
    setInterval(draw, 1000 / 30);
    stampSource = canvas.captureStream(30).getVideoTracks()[0]!;
  }
  // A clone per request: the app stops what it opened without stopping the clock.
  return stampSource.clone();
}

if (config.stamp && navigator.mediaDevices) {
  const native = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await native(constraints);
    const camera = stream.getVideoTracks()[0];
    if (!camera) return stream;
    camera.stop();
    return new MediaStream([...stream.getAudioTracks(), stampTrack()]);
  };
}

// --- what the page shows ----------------------------------------------------------------------------
const showing = new Set<HTMLVideoElement>();
const reading = new Set<string>();

function shown(track: MediaStreamTrack): boolean {
  for (const el of showing) {
    if (!el.isConnected) continue;
    const s = el.srcObject;
    if (s instanceof MediaStream && s.getVideoTracks().some((t) => t.id === track.id)) return true;
  }
  return false;
}

function readFrames(track: MediaStreamTrack, pc: RTCPeerConnection): void {
  if (reading.has(track.id)) return;
  reading.add(track.id);
  const reader = new MediaStreamTrackProcessor<VideoFrame>({ track: track.clone() }).readable.getReader();
  const w = 320;
  const h = 180;
  const ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true })!;
  void (async () => {
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done || !frame) return;
      const now = clockMs();
      if (!shown(track)) {
        frame.close();
        continue;
      }
      ctx.drawImage(frame, 0, 0, w, h);
      frame.close();
      const stamp = readStamp(ctx.getImageData(0, 0, w, h).data, w, h);
      if (stamp === null) {
        probe.rejected++;
        continue;
      }
      frames.push({ at: now, stamp: now - stampLatency(stamp, now), path: W.__parleyDirect?.connection === pc ? 'direct' : 'sfu' });
    }
  })();
}

const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
  configurable: true,
  enumerable: srcObject.enumerable ?? false,
  get(this: HTMLMediaElement) {
    return srcObject.get!.call(this) as MediaProvider | null;
  },
  set(this: HTMLMediaElement, stream: MediaProvider | null) {
    srcObject.set!.call(this, stream);
    if (!(this instanceof HTMLVideoElement) || !(stream instanceof MediaStream)) return;
    showing.add(this);
    for (const track of stream.getVideoTracks()) {
      const pc = receiverOf(track);
      if (pc) readFrames(track, pc);
    }
  },
});

// --- received audio -------------------------------------------------------------------------------
function watchAudio(identity: string): void {
  stopAudio();
  audioSamples = [];
  let busy = false;
  audioTimer = setInterval(() => {
    if (busy) return;
    busy = true;
    const played = new Set(
      [...document.querySelectorAll<HTMLMediaElement>(`audio[data-identity="${CSS.escape(identity)}"]`)].flatMap((el) =>
        el.srcObject instanceof MediaStream ? el.srcObject.getAudioTracks().map((t) => t.id) : [],
      ),
    );
    void Promise.all(
      pcs
        .filter((pc) => pc.connectionState !== 'closed')
        .map(async (pc) => {
          const report = await pc.getStats().catch(() => null);
          report?.forEach((s: Record<string, unknown>) => {
            if (s.type !== 'inbound-rtp' || s.kind !== 'audio' || typeof s.trackIdentifier !== 'string') return;
            if (typeof s.lastPacketReceivedTimestamp !== 'number') return;
            audioSamples.push({
              stream: `${String(s.id)}/${s.trackIdentifier}`,
              played: played.has(s.trackIdentifier),
              at: s.lastPacketReceivedTimestamp,
              packets: Number(s.packetsReceived ?? 0),
            });
          });
        }),
    ).finally(() => {
      busy = false;
    });
  }, 50);
}

function stopAudio(): void {
  if (audioTimer !== undefined) clearInterval(audioTimer);
  audioTimer = undefined;
}

// --- the probe ------------------------------------------------------------------------------------
const probe: CallProbe = {
  takeFrames() {
    const out = frames;
    frames = [];
    return out;
  },
  watchAudio,
  audio: () => audioSamples,
  stopAudio,
  rejected: 0,
  arm() {
    delete probe.directAt;
    const timer = setInterval(() => {
      if (W.__parleyDirect?.route !== 'direct') return;
      probe.directAt = clockMs();
      clearInterval(timer);
    }, 10);
  },
  route: () => W.__parleyDirect?.route ?? 'server',
};
W.__callProbe = probe;
