// Recording end to end on a real team server, SFU and Debian ffmpeg: two Node participants (red
// picture + 440 Hz, blue picture + 880 Hz) are recorded for about ten seconds; the composite MP4 is
// probed, its audio spectrum and a decoded frame are checked against the layout.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomEvent } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@contracts/api-client';
import type { Recording, ServerEvent } from '@contracts/api';
import { layoutSpans } from '@server/recording/layout';
import { parseTimeline, TIMELINE_FILE } from '@server/recording/timeline';
import { NodeParticipant, TrackKind } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, eventually, EventRecorder, setupAdmin, type SignedIn } from '../../support/team-api';

const RECORD_MS = 10_000;
const LINK_SECONDS = 4;
const CANVAS = { width: 1280, height: 720 };

/** Goertzel power of `hz` in mono 48 kHz samples, normalised by length. */
function tonePower(pcm: Int16Array, hz: number): number {
  const k = (2 * Math.PI * hz) / 48_000;
  const c = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (const x of pcm) {
    const s0 = x + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - c * s1 * s2) / pcm.length ** 2;
}

function ffmpegOut(args: string[]): Buffer {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
  return r.stdout;
}

describe('recording a meeting', () => {
  let stack: TestStack;
  let host: SignedIn;
  let member: SignedIn;
  let lena: SignedIn;
  const people: NodeParticipant[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'parley-rec-test-'));

  beforeAll(async () => {
    stack = await startStack({ recording: { linkSeconds: LINK_SECONDS, hostGraceMs: 60_000 } });
    host = await setupAdmin(stack, 'holly');
    member = await addUser(stack, host, 'max');
    lena = await addUser(stack, host, 'lena');
    await host.api.createRoom({ name: 'standup', title: 'Standup' });
    await host.api.createRoom({ name: 'private', title: 'Private', options: { allowRecording: false } });
  });
  afterAll(async () => {
    for (const p of people) await p.disconnect().catch(() => undefined);
    await stack?.teardown();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function joined(who: SignedIn, room: string): Promise<NodeParticipant> {
    const j = await who.api.joinRoom(room);
    const p = new NodeParticipant();
    people.push(p);
    await p.connect(j.url, j.token);
    return p;
  }

  it('records two participants into one MP4 laid out like the meeting, listed and downloadable by link', async () => {
    const memberEvents = new EventRecorder(member.api);
    const hollyCam = await joined(host, 'standup');
    await hollyCam.publishSynthetic({ r: 230, g: 20, b: 20 }, 440);
    const maxCam = await joined(member, 'standup');
    await maxCam.publishSynthetic({ r: 20, g: 20, b: 230 }, 880);
    const hollyIdentity = hollyCam.room.localParticipant!.identity;
    // The recorder must find both tracks of both people already there.
    await hollyCam.remoteTrack(maxCam.room.localParticipant!.identity, TrackKind.KIND_VIDEO);
    await maxCam.remoteTrack(hollyIdentity, TrackKind.KIND_VIDEO);

    // Only hosts start; a room that forbids recording refuses even its host.
    const refused = await member.api.startRecording('standup').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
    const forbidden = await host.api.startRecording('private').catch((e: unknown) => e);
    expect((forbidden as ApiError).status).toBe(403);
    expect((forbidden as ApiError).code).toBe('RECORDING_NOT_ALLOWED');

    const sawRecording = new Promise<boolean>((resolve) => {
      const seen = () => {
        if (!maxCam.room.isRecording) return;
        maxCam.room.off(RoomEvent.RoomUpdated, seen);
        resolve(true);
      };
      maxCam.room.on(RoomEvent.RoomUpdated, seen);
    });
    // Two starts at once: one recording.
    const starts = await Promise.allSettled([host.api.startRecording('standup'), host.api.startRecording('standup')]);
    const ok = starts.filter((s): s is PromiseFulfilledResult<Recording> => s.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    const lost = starts.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as ApiError).status).toBe(409);
    const rec = ok[0]!.value;
    expect(rec.status).toBe('recording');

    // Everyone in the room is told at once: by the SFU (the recorder's grant) and by the team server.
    expect(await sawRecording).toBe(true);
    expect(maxCam.room.isRecording).toBe(true);
    await memberEvents.waitFor((e) => e.type === 'recording.started' && e.recording.id === rec.id, 'recording.started');
    expect((await member.api.roomRecording('standup')).active?.id).toBe(rec.id);
    // The recorder is hidden: nobody lists it as a participant, the API neither.
    expect([...maxCam.room.remoteParticipants.keys()]).toEqual([hollyIdentity]);
    expect((await host.api.getRoom('standup')).participants.map((p) => p.identity).sort()).toEqual(
      [hollyIdentity, maxCam.room.localParticipant!.identity].sort(),
    );

    // A late joiner sees it as soon as they are in.
    const late = await joined(lena, 'standup');
    expect(late.room.isRecording).toBe(true);
    await late.disconnect();

    // The meeting itself lasts this long: the file's length is what is under test.
    await new Promise((r) => setTimeout(r, RECORD_MS));
    const stopped = await host.api.stopRecording('standup');
    expect(stopped.status).toBe('processing');
    expect(stopped.endReason).toBe('stopped');
    await memberEvents.waitFor((e) => e.type === 'recording.stopped' && e.recording.id === rec.id, 'recording.stopped');
    await eventually(() => (maxCam.room.isRecording ? undefined : true), 'the SFU to say recording stopped');
    const ready = (await memberEvents.waitFor(
      (e) => e.type === 'recording.ready' && e.recording.id === rec.id,
      'recording.ready',
      180_000,
    )) as Extract<ServerEvent, { type: 'recording.ready' }>;
    memberEvents.stop();
    expect(ready.recording.status).toBe('ready');
    expect(ready.recording.partial).toBe(false);

    const { recordings } = await member.api.listRecordings({ room: 'standup' });
    expect(recordings).toHaveLength(1);
    const listed = recordings[0]!;
    expect(listed.durationSeconds).toBeGreaterThan(RECORD_MS / 1000 - 1);
    expect(listed.durationSeconds).toBeLessThan(RECORD_MS / 1000 + 3);
    expect(listed.sizeBytes).toBeGreaterThan(10_000);
    expect(listed.startedBy?.username).toBe('holly');

    // Any member gets a short-lived link; it downloads without a session.
    const link = await member.api.recordingDownload(rec.id);
    const res = await fetch(link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const file = join(tmp, 'recording.mp4');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    expect(readFileSync(file).length).toBe(listed.sizeBytes);
    const tampered = new URL(link.url);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 3600));
    expect((await fetch(tampered)).status).toBe(403);

    const probe = JSON.parse(
      spawnSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]).stdout.toString(),
    ) as {
      format: { duration: string };
      streams: { codec_type: string; codec_name: string; width?: number; height?: number; duration?: string }[];
    };
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    expect(video?.codec_name).toBe('h264');
    expect([video?.width, video?.height]).toEqual([CANVAS.width, CANVAS.height]);
    expect(audio?.codec_name).toBe('aac');
    for (const d of [probe.format.duration, video?.duration, audio?.duration]) {
      expect(Math.abs(Number(d) - RECORD_MS / 1000)).toBeLessThan(1.5);
    }

    // Both tones are in the mix, well above a frequency nobody sent.
    const pcmBuf = ffmpegOut(['-ss', '2', '-t', '6', '-i', file, '-ac', '1', '-ar', '48000', '-f', 's16le', 'pipe:1']);
    const pcm = new Int16Array(pcmBuf.buffer, pcmBuf.byteOffset, pcmBuf.length / 2);
    const control = tonePower(pcm, 660);
    expect(tonePower(pcm, 440)).toBeGreaterThan(control * 50);
    expect(tonePower(pcm, 880)).toBeGreaterThan(control * 50);

    // A frame mid-recording: red where the layout puts Holly's camera, blue where it puts Max's.
    const tl = parseTimeline(readFileSync(join(stack.dataDir, 'recordings', rec.id, TIMELINE_FILE), 'utf8'));
    const span = layoutSpans(tl, RECORD_MS, CANVAS).find((s) => s.from <= 5_000 && s.to > 5_000)!;
    expect(span.tiles).toHaveLength(2);
    const rgb = ffmpegOut(['-ss', '5', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const at = (x: number, y: number) => {
      const i = (Math.round(y) * CANVAS.width + Math.round(x)) * 3;
      return { r: rgb[i]!, g: rgb[i + 1]!, b: rgb[i + 2]! };
    };
    for (const tile of span.tiles) {
      const c = at(tile.rect.x + tile.rect.w / 2, tile.rect.y + tile.rect.h / 2);
      if (tile.identity === hollyIdentity) expect(c.r > 150 && c.b < 90, `red at Holly's tile, got ${JSON.stringify(c)}`).toBe(true);
      else expect(c.b > 150 && c.r < 90, `blue at Max's tile, got ${JSON.stringify(c)}`).toBe(true);
    }
    // The two tiles sit side by side (a grid of two).
    const [a, b] = span.tiles.map((t) => t.rect);
    expect(a!.y).toBe(b!.y);
    expect(Math.abs(a!.x - b!.x)).toBeGreaterThan(CANVAS.width / 3);

    // The link stops working once it expires.
    await eventually(
      async () => ((await fetch(link.url)).status === 403 ? true : undefined),
      'the download link to expire',
      (LINK_SECONDS + 10) * 1000,
      250,
    );
    const expired = (await (await fetch(link.url)).json()) as { error: { code: string } };
    expect(expired.error.code).toBe('LINK_EXPIRED');
  }, 300_000);
});
