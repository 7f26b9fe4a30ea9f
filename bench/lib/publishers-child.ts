// Synthetic meeting participants for the room-scale figure, in their own process so their encoding
// CPU is measured apart from the SFU and the browser. Each is an @livekit/rtc-node participant
// publishing 720p simulcast VP8 (Parley's camera: 1280x720 top layer at 1.7 Mbps, two lower layers)
// and a 48 kHz mono tone.
//
// Protocol (JSON lines): stdin {"add":[{"url","token"}...]} -> stdout {"ok":N} (N = publishers now);
// stdin {"stop":true} or EOF -> disconnect all and exit.
import { createInterface } from 'node:readline';
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoCodec,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';

// 1280x720 (Parley's camera) unless the figure needs many cheap participants (figure 5).
const WIDTH = Number(process.env.BENCH_PUBLISH_WIDTH ?? 1280);
const HEIGHT = Number(process.env.BENCH_PUBLISH_HEIGHT ?? 720);
const MAX_BITRATE = BigInt(process.env.BENCH_PUBLISH_BITRATE ?? 1_700_000);
const FPS = Number(process.env.BENCH_PUBLISH_FPS ?? 10);
const LOOP = 30;

// A loop of pre-rendered I420 frames (a scrolling textured pattern and a moving box): real motion
// makes the encoder spend its bitrate like a camera would, and pre-rendering keeps JS out of the
// CPU figure (only libwebrtc's encoding remains).
function renderLoop(): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const ySize = WIDTH * HEIGHT;
  const cSize = (WIDTH / 2) * (HEIGHT / 2);
  for (let f = 0; f < LOOP; f++) {
    const buf = new Uint8Array(ySize + 2 * cSize);
    const shift = f * 8;
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const xs = x + shift;
        const check = ((xs >> 5) + (y >> 5)) & 1;
        buf[y * WIDTH + x] = (check ? 160 : 60) + ((xs * 7 + y * 13) & 31);
      }
    }
    const box = Math.floor(HEIGHT / 3.6);
    const bx = (f * 37) % (WIDTH - box);
    for (let y = Math.floor(HEIGHT * 0.36); y < Math.floor(HEIGHT * 0.36) + box; y++) buf.fill(235, y * WIDTH + bx, y * WIDTH + bx + box);
    for (let i = 0; i < cSize; i++) {
      buf[ySize + i] = 128 + ((i + f * 4) % 40) - 20;
      buf[ySize + cSize + i] = 128 + ((i >> 7) % 30) - 15;
    }
    frames.push(buf);
  }
  return frames;
}

const loop = renderLoop();

interface Publisher {
  room: Room;
  video: VideoSource;
  audio: AudioSource;
  frame: number;
}
const publishers: Publisher[] = [];

async function addPublisher(url: string, token: string, index: number): Promise<void> {
  const room = new Room();
  await room.connect(url, token, { autoSubscribe: false, dynacast: true });
  const video = new VideoSource(WIDTH, HEIGHT);
  const videoTrack = LocalVideoTrack.createVideoTrack('camera', video);
  await room.localParticipant!.publishTrack(
    videoTrack,
    new TrackPublishOptions({
      source: TrackSource.SOURCE_CAMERA,
      simulcast: true,
      videoCodec: VideoCodec.VP8,
      videoEncoding: { maxBitrate: MAX_BITRATE, maxFramerate: FPS },
    }),
  );
  const audio = new AudioSource(48_000, 1);
  const audioTrack = LocalAudioTrack.createAudioTrack('microphone', audio);
  await room.localParticipant!.publishTrack(audioTrack, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE, dtx: false }));
  // Stagger the frame phase so publishers do not all encode at the same instant.
  publishers.push({ room, video, audio, frame: index * 3 });
}

// 100 ms audio frames, not 10 ms: every captureFrame is an FFI round trip whose callback rtc-node
// matches against every pending one on the Node main thread, so 10 ms frames (100 calls/s per
// publisher) saturated that one thread at ~9 publishers and starved the video capture; 100 ms
// frames cut the calls tenfold. (A 440 Hz tone fits 100 ms exactly: 44 periods.)
const AUDIO_FRAME_MS = 100;
// One timer for every publisher: N timers would drift and contend; one keeps the cadence.
const tone = new Int16Array((48_000 * AUDIO_FRAME_MS) / 1000);
for (let i = 0; i < tone.length; i++) tone[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / 48_000) * 6000);
const startedAt = performance.now();
let tick = 0;
const videoTimer = setInterval(() => {
  for (const p of publishers) {
    p.video.captureFrame(new VideoFrame(loop[p.frame % LOOP]!, WIDTH, HEIGHT, VideoBufferType.I420));
    p.frame++;
  }
}, 1000 / FPS);
const audioTimer = setInterval(() => {
  // Caught up to wall-clock time so the audio never underruns, but by at most 3 frames: after a
  // stall, a burst of captures would only stall the loop further.
  const due = Math.floor((performance.now() - startedAt) / AUDIO_FRAME_MS);
  tick = Math.max(tick, due - 3);
  while (tick < due) {
    for (const p of publishers) void p.audio.captureFrame(new AudioFrame(tone, 48_000, 1, tone.length)).catch(() => undefined);
    tick++;
  }
}, AUDIO_FRAME_MS / 2);

async function stop(): Promise<void> {
  clearInterval(videoTimer);
  clearInterval(audioTimer);
  await Promise.all(publishers.map((p) => p.room.disconnect().catch(() => undefined)));
  process.exit(0);
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const msg = JSON.parse(line) as { add?: { url: string; token: string }[]; stop?: boolean };
  if (msg.stop) return void stop();
  void (async () => {
    try {
      // Concurrently: on a saturated machine one-by-one connects take minutes.
      const base = publishers.length;
      await Promise.all((msg.add ?? []).map((g, i) => addPublisher(g.url, g.token, base + i)));
      console.log(JSON.stringify({ ok: publishers.length }));
    } catch (err) {
      console.log(JSON.stringify({ error: (err as Error).message }));
    }
  })();
});
rl.on('close', () => void stop());
