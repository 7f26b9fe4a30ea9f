// Recordings that end badly, with the real SFU, recorder, encoders and ffmpeg: the recorder killed
// with SIGKILL, the host leaving, the disk filling up (a tmpfs of our own) and the team server
// killed mid-recording and started again. Each ends with a coded reason; what was written is kept
// and listed as partial, playable; nothing half-written is listed as a finished file.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ApiError, createApiClient } from '@contracts/api-client';
import type { Recording } from '@contracts/api';
import { parseTimeline, TIMELINE_FILE } from '@server/recording/timeline';
import { startTeamProcess, type TeamProcess } from '../../support/cluster/team-process';
import { NodeParticipant } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, eventually, setupAdmin, type SignedIn } from '../../support/team-api';

/** Seconds of media written before the fault: long enough that "what was written" is more than a frame. */
const BEFORE_FAULT_MS = 3_000;

interface Probed {
  durationS: number;
  codecs: string[];
  /** ffmpeg decoding the whole file reported no error. */
  decodesCleanly: boolean;
}

function probeFile(file: string): Probed {
  const p = JSON.parse(
    spawnSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]).stdout.toString(),
  ) as { format: { duration: string }; streams: { codec_name: string }[] };
  const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return {
    durationS: Number(p.format.duration),
    codecs: p.streams.map((s) => s.codec_name).sort(),
    decodesCleanly: decode.status === 0 && decode.stderr.trim() === '',
  };
}

/** Resolves once the recorder has opened a video and an audio file for each of `people` and `ms` of media followed. */
async function recordedFor(dir: string, people: number, ms: number): Promise<void> {
  await eventually(
    () => {
      if (!existsSync(join(dir, TIMELINE_FILE))) return undefined;
      const tl = parseTimeline(readFileSync(join(dir, TIMELINE_FILE), 'utf8'));
      const video = tl.segments.filter((s) => s.kind === 'video').length;
      const audio = tl.segments.filter((s) => s.kind === 'audio').length;
      return video >= people && audio >= people ? true : undefined;
    },
    'the recorder to write every track',
    60_000,
    100,
  );
  // The meeting goes on this long before the fault: the length of what is kept is under test.
  await new Promise((r) => setTimeout(r, ms));
}

/** Processes whose command line names this folder (the recorder's encoders write there). */
function processesWriting(dir: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) pids.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        // Field 4 of /proc/<pid>/stat, after the parenthesised name.
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function finished(who: SignedIn, id: string): Promise<Recording> {
  return eventually(
    async () => {
      const r = (await who.api.listRecordings({ room: 'standup' })).recordings.find((x) => x.id === id);
      return r && (r.status === 'ready' || r.status === 'failed') ? r : undefined;
    },
    'the recording to be finished',
    180_000,
    250,
  );
}

describe('recording faults', () => {
  const people: NodeParticipant[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const p of people.splice(0)) await p.disconnect().catch(() => undefined);
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function joined(who: SignedIn, color: { r: number; g: number; b: number }, hz: number) {
    const j = await who.api.joinRoom('standup');
    const p = new NodeParticipant();
    people.push(p);
    await p.connect(j.url, j.token);
    await p.publishSynthetic(color, hz);
    return p;
  }

  describe('on one team server', () => {
    let stack: TestStack;
    let host: SignedIn;
    let member: SignedIn;

    it('a recorder killed with SIGKILL: the recording ends as recorder-failed, partial, with what was written composited', async () => {
      stack = await startStack({ recording: { hostGraceMs: 2_000 } });
      cleanups.push(() => stack.teardown());
      host = await setupAdmin(stack, 'holly');
      member = await addUser(stack, host, 'max');
      await host.api.createRoom({ name: 'standup', title: 'Standup' });
      const hollyCam = await joined(host, { r: 230, g: 20, b: 20 }, 440);
      await joined(member, { r: 20, g: 20, b: 230 }, 880);

      const rec = await host.api.startRecording('standup');
      const dir = join(stack.dataDir, 'recordings', rec.id);
      await recordedFor(dir, 2, BEFORE_FAULT_MS);
      const pid = stack.context.recordings.recorderPid(rec.id);
      expect(pid).toBeGreaterThan(0);
      const killedAt = Date.now();
      process.kill(pid!, 'SIGKILL');

      const done = await finished(member, rec.id);
      expect(done.status).toBe('ready');
      expect(done.partial).toBe(true);
      expect(done.endReason).toBe('recorder-failed');
      // Its encoders did not outlive it.
      await eventually(() => (processesWriting(dir).length === 0 ? true : undefined), 'the encoders to be gone', 30_000, 200);
      // The SFU no longer says the meeting is recorded.
      await eventually(() => (hollyCam.room.isRecording ? undefined : true), 'the SFU to say recording stopped', 60_000, 200);

      const file = join(dir, 'recording.mp4');
      const p = probeFile(file);
      expect(p.codecs).toEqual(['aac', 'h264']);
      expect(p.decodesCleanly).toBe(true);
      const recordedS = (killedAt - Date.parse(done.startedAt)) / 1000;
      expect(p.durationS).toBeGreaterThan(BEFORE_FAULT_MS / 1000 - 0.5);
      expect(p.durationS).toBeLessThan(recordedS + 1.5);
      expect(existsSync(`${file}.part`)).toBe(false);
      // A new recording can start in the same meeting at once.
      const again = await host.api.startRecording('standup');
      await host.api.stopRecording('standup');
      await finished(host, again.id);
    }, 300_000);

    it('the host leaving: the recording ends by rule (host-left) after the grace time, complete and not partial', async () => {
      const hollyCam = await joined(host, { r: 230, g: 20, b: 20 }, 440);
      const maxCam = await joined(member, { r: 20, g: 20, b: 230 }, 880);
      const rec = await host.api.startRecording('standup');
      await recordedFor(join(stack.dataDir, 'recordings', rec.id), 2, 1_000);
      await hollyCam.disconnect();
      const done = await finished(member, rec.id);
      expect(done.endReason).toBe('host-left');
      expect(done.partial).toBe(false);
      expect(done.status).toBe('ready');
      expect(maxCam.room.isRecording).toBe(false);
    }, 300_000);
  });

  it('a full disk: the recording stops as disk-full and is kept as partial; when not even the composite fits, nothing is listed as a file', async () => {
    // A small file system of our own for the recordings folder; removed whatever happens.
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-diskfull-'));
    const mount = join(dataDir, 'recordings');
    mkdirSync(mount);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96m,mode=0700', `parley-rec-${randomBytes(4).toString('hex')}`, mount]);
    expect(mounted.status, `mount a tmpfs (needs root): ${mounted.stderr?.toString()}`).toBe(0);
    cleanups.push(() => {
      spawnSync('umount', ['-l', mount]);
      rmSync(dataDir, { recursive: true, force: true });
    });
    const minFreeBytes = 48 * 1024 * 1024;
    const stack = await startStack({ dataDir, recording: { minFreeBytes, hostGraceMs: 60_000 } });
    cleanups.push(() => stack.close());
    const host = await setupAdmin(stack, 'holly');
    await host.api.createRoom({ name: 'standup', title: 'Standup' });
    await joined(host, { r: 230, g: 20, b: 20 }, 440);
    const free = () => {
      const s = statfsSync(mount);
      return s.bavail * s.bsize;
    };
    /** Fills the file system until at most `left` bytes are free (the encoders write meanwhile: a full disk ends it too). */
    const fillTo = (name: string, left: number) => {
      const fd = openSync(join(mount, name), 'w');
      const chunk = Buffer.alloc(1024 * 1024);
      try {
        for (let over = free() - left; over > 0; over = free() - left) writeSync(fd, chunk, 0, Math.min(chunk.length, over));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    };

    // 1. Below the limit, with room for the composite: stopped, kept, partial, playable.
    const first = await host.api.startRecording('standup');
    await recordedFor(join(mount, first.id), 1, BEFORE_FAULT_MS);
    fillTo('filler-1', 24 * 1024 * 1024);
    const kept = await finished(host, first.id);
    expect(kept.endReason).toBe('disk-full');
    expect(kept.partial).toBe(true);
    expect(kept.status).toBe('ready');
    const p = probeFile(join(mount, first.id, 'recording.mp4'));
    expect(p.codecs).toEqual(['aac', 'h264']);
    expect(p.decodesCleanly).toBe(true);
    expect(p.durationS).toBeGreaterThan(BEFORE_FAULT_MS / 1000 - 0.5);
    rmSync(join(mount, 'filler-1'));

    // 2. Starting with too little space is refused at once, with a code and how much there is.
    fillTo('filler-2', minFreeBytes / 2);
    const refused = await host.api.startRecording('standup').catch((e: unknown) => e);
    expect((refused as ApiError).status).toBe(507);
    expect((refused as ApiError).code).toBe('RECORDING_DISK_FULL');
    expect((refused as ApiError).message).toMatch(/MB free/);
    rmSync(join(mount, 'filler-2'));

    // 3. The disk full to the last byte: neither the tracks nor the composite can be written; the
    //    recording is not listed as ready and no half-written MP4 stays behind.
    const second = await host.api.startRecording('standup');
    await recordedFor(join(mount, second.id), 1, 1_000);
    fillTo('filler-3', 0);
    const lost = await finished(host, second.id);
    expect(lost.endReason).toBe('disk-full');
    expect(lost.status).toBe('failed');
    expect(lost.sizeBytes).toBeNull();
    const left = readdirSync(join(mount, second.id));
    expect(left.filter((f) => f.startsWith('recording.mp4'))).toEqual([]);
    const link = await host.api.recordingDownload(second.id).catch((e: unknown) => e);
    expect((link as { status?: number }).status).toBe(409);
    rmSync(join(mount, 'filler-3'));
  }, 300_000);

  it('the team server killed mid-recording: on its next start what was kept is composited and listed as partial (server-restart)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { LIVEKIT_SERVER_BIN: inject('livekitBinary'), LOG_LEVEL: 'warn' };
    let server: TeamProcess = await startTeamProcess({ env, dataDir });
    cleanups.push(() => server.stop());
    const host = await setupAdmin({ url: server.url, setupCode: await server.setupCode() }, 'holly');
    await host.api.createRoom({ name: 'standup', title: 'Standup' });
    const cam = await joined(host, { r: 230, g: 20, b: 20 }, 440);
    const rec = await host.api.startRecording('standup');
    const dir = join(dataDir, 'recordings', rec.id);
    await recordedFor(dir, 1, BEFORE_FAULT_MS);
    // SIGKILL the server itself (tsx runs it as its child) and its launcher: no shutdown code runs.
    for (const pid of childrenOf(server.process.pid)) process.kill(pid, 'SIGKILL');
    await server.kill();
    await cam.disconnect();
    // Its children (SFU, recorder, encoders) go with it, through their lifelines.
    await eventually(() => (processesWriting(dir).length === 0 ? true : undefined), 'the recorder and encoders to be gone', 30_000, 200);
    expect(existsSync(join(dir, 'recording.mp4'))).toBe(false);

    server = await startTeamProcess({ env, dataDir });
    const api = createApiClient({ baseUrl: server.url, token: host.token });
    const again = { ...host, api };
    const done = await finished(again, rec.id);
    expect(done.status).toBe('ready');
    expect(done.partial).toBe(true);
    expect(done.endReason).toBe('server-restart');
    const p = probeFile(join(dir, 'recording.mp4'));
    expect(p.codecs).toEqual(['aac', 'h264']);
    expect(p.decodesCleanly).toBe(true);
    expect(p.durationS).toBeGreaterThan(BEFORE_FAULT_MS / 1000 - 0.5);
    const link = await api.recordingDownload(rec.id);
    expect((await fetch(link.url)).status).toBe(200);
  }, 300_000);
});
