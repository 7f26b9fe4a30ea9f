// A livekit-client participant in the test process, on @roamhq/wrtc's WebRTC (prebuilt N-API
// binary, no build step): Parley's own renderer modules (lib/p2p) run on it unchanged. livekit-client
// expects a browser, so this installs the few globals it reads (WebSocket, navigator, the WebRTC
// classes) and the MediaStreamTrack methods wrtc lacks.
import wrtc from '@roamhq/wrtc';
import { Room, RoomEvent, Track, type RoomOptions } from 'livekit-client';
import WebSocket from 'ws';

let installed = false;

/** Makes this Node process look enough like a browser for livekit-client, once. */
export function installWrtcGlobals(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as Record<string, unknown>;
  for (const name of [
    'RTCPeerConnection',
    'RTCSessionDescription',
    'RTCIceCandidate',
    'MediaStream',
    'MediaStreamTrack',
    'RTCRtpSender',
    'RTCRtpReceiver',
    'RTCRtpTransceiver',
    'RTCDataChannel',
  ]) {
    if (!(name in g)) g[name] = (wrtc as unknown as Record<string, unknown>)[name];
  }
  g.WebSocket ??= WebSocket;
  if (!('navigator' in g)) g.navigator = { userAgent: 'Node.js', mediaDevices: undefined };
  // livekit-client reads these on every local track; wrtc's tracks have none of them.
  const proto = (wrtc.MediaStreamTrack as unknown as { prototype: Record<string, unknown> }).prototype;
  proto.getConstraints ??= function () {
    return {};
  };
  proto.getSettings ??= function (this: { kind: string }) {
    return this.kind === 'video' ? { width: 320, height: 240, frameRate: 15, deviceId: 'synthetic' } : { deviceId: 'synthetic' };
  };
  proto.applyConstraints ??= async function () {};
  proto.contentHint ??= '';
}

export interface WrtcPeer {
  room: Room;
  /** Publishes a synthetic camera (solid colour, 320x240 at 15 fps) and a 440 Hz microphone tone. */
  publishSynthetic(): Promise<void>;
  close(): Promise<void>;
}

export async function connectWrtcPeer(url: string, token: string, options: RoomOptions = {}): Promise<WrtcPeer> {
  installWrtcGlobals();
  // No DOM: nothing to size video for, so no adaptive stream.
  const room = new Room({ adaptiveStream: false, dynacast: true, ...options });
  // wrtc has no per-receiver stats ("Not yet implemented"), which livekit-client's bitrate monitor
  // polls; Parley stops that monitor too (renderer/src/lib/livekit/connect-room.ts).
  room.on(RoomEvent.TrackSubscribed, (track) => track.stopMonitor());
  const timers: NodeJS.Timeout[] = [];
  const tracks: MediaStreamTrack[] = [];
  await room.connect(url, token, { autoSubscribe: true });
  return {
    room,
    async publishSynthetic() {
      const { RTCAudioSource, RTCVideoSource } = wrtc.nonstandard;
      const audio = new RTCAudioSource();
      const video = new RTCVideoSource();
      const mic = audio.createTrack() as unknown as MediaStreamTrack;
      const cam = video.createTrack() as unknown as MediaStreamTrack;
      tracks.push(mic, cam);
      let phase = 0;
      timers.push(
        setInterval(() => {
          const samples = new Int16Array(480);
          for (let i = 0; i < samples.length; i++) samples[i] = Math.round(Math.sin((2 * Math.PI * 440 * phase++) / 48_000) * 8000);
          audio.onData({ samples, sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
        }, 10),
      );
      const width = 320;
      const height = 240;
      const frame = new Uint8Array(width * height * 1.5).fill(128);
      timers.push(setInterval(() => video.onFrame({ width, height, data: frame }), 1000 / 15));
      await room.localParticipant.publishTrack(mic, { source: Track.Source.Microphone, dtx: false, red: false });
      await room.localParticipant.publishTrack(cam, { source: Track.Source.Camera, simulcast: false, videoCodec: 'vp8' });
    },
    async close() {
      for (const t of timers) clearInterval(t);
      await room.disconnect();
      for (const t of tracks) t.stop();
    },
  };
}
