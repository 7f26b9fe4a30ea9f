import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  VideoStream,
  type RemoteTrack,
  type RoomOptions,
} from '@livekit/rtc-node';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** A participant that runs in the test process through @livekit/rtc-node (real WebRTC, no browser). */
export class NodeParticipant {
  readonly room = new Room();
  private timers: NodeJS.Timeout[] = [];

  /** `rtcConfig` as the SDK takes it, e.g. relay-only ICE to go through TURN. */
  async connect(url: string, token: string, rtcConfig?: RoomOptions['rtcConfig']): Promise<void> {
    await this.room.connect(url, token, { autoSubscribe: true, dynacast: false, ...(rtcConfig ? { rtcConfig } : {}) });
  }

  /** Publishes a solid-colour 320x240 camera at 15 fps and a tone (440 Hz unless told), until disconnect. */
  async publishSynthetic(color: Rgb, toneHz = 440): Promise<void> {
    const width = 320;
    const height = 240;
    const video = new VideoSource(width, height);
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < rgba.length; i += 4) {
      rgba[i] = color.r;
      rgba[i + 1] = color.g;
      rgba[i + 2] = color.b;
      rgba[i + 3] = 255;
    }
    // A source no frame was captured into sends black frames of its own, and the subscriber may
    // decode one of those first: capture from now on, before the track is published.
    const frame = () => video.captureFrame(new VideoFrame(rgba, width, height, VideoBufferType.RGBA));
    frame();
    this.timers.push(setInterval(frame, 1000 / 15));
    const videoTrack = LocalVideoTrack.createVideoTrack('synthetic-camera', video);
    const videoOpts = new TrackPublishOptions();
    videoOpts.source = TrackSource.SOURCE_CAMERA;
    await this.room.localParticipant!.publishTrack(videoTrack, videoOpts);

    const sampleRate = 48_000;
    const audio = new AudioSource(sampleRate, 1);
    const audioTrack = LocalAudioTrack.createAudioTrack('synthetic-mic', audio);
    const audioOpts = new TrackPublishOptions();
    audioOpts.source = TrackSource.SOURCE_MICROPHONE;
    await this.room.localParticipant!.publishTrack(audioTrack, audioOpts);

    let phase = 0;
    const samplesPer10ms = sampleRate / 100;
    this.timers.push(
      setInterval(() => {
        const pcm = new Int16Array(samplesPer10ms * 2);
        for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin(2 * Math.PI * toneHz * (phase++ / sampleRate)) * 8000);
        void audio.captureFrame(new AudioFrame(pcm, sampleRate, 1, pcm.length)).catch(() => undefined);
      }, 20),
    );
  }

  /** Resolves with the first remote track of `kind` from `identity` (already subscribed or future). */
  remoteTrack(identity: string, kind: TrackKind): Promise<RemoteTrack> {
    const existing = this.room.remoteParticipants.get(identity);
    for (const pub of existing?.trackPublications.values() ?? []) {
      if (pub.track && pub.kind === kind) return Promise.resolve(pub.track as RemoteTrack);
    }
    return new Promise((resolve) => {
      const onSub = (track: RemoteTrack, _pub: unknown, participant: { identity: string }) => {
        if (participant.identity === identity && track.kind === kind) {
          this.room.off(RoomEvent.TrackSubscribed, onSub);
          resolve(track);
        }
      };
      this.room.on(RoomEvent.TrackSubscribed, onSub);
    });
  }

  /** Reads decoded video frames until one is delivered; returns its size and average colour. */
  async firstVideoFrame(track: RemoteTrack): Promise<{ width: number; height: number; average: Rgb }> {
    const stream = new VideoStream(track);
    const reader = stream.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('video stream ended before a frame arrived');
        const rgba = value.frame.convert(VideoBufferType.RGBA);
        return { width: rgba.width, height: rgba.height, average: averageRgb(rgba.data) };
      }
    } finally {
      reader.releaseLock();
      await stream.cancel().catch(() => undefined);
    }
  }

  /** Reads audio until `count` frames arrived; returns the peak absolute sample seen. */
  async audioPeak(track: RemoteTrack, count = 50): Promise<number> {
    const stream = new AudioStream(track, 48_000, 1);
    const reader = stream.getReader();
    let peak = 0;
    try {
      for (let i = 0; i < count; i++) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const s of value.data) peak = Math.max(peak, Math.abs(s));
      }
    } finally {
      reader.releaseLock();
      await stream.cancel().catch(() => undefined);
    }
    return peak;
  }

  async disconnect(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.room.disconnect();
  }
}

function averageRgb(data: Uint8Array): Rgb {
  let r = 0;
  let g = 0;
  let b = 0;
  const pixels = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    r += data[i]!;
    g += data[i + 1]!;
    b += data[i + 2]!;
  }
  return { r: r / pixels, g: g / pixels, b: b / pixels };
}

export { TrackKind };
