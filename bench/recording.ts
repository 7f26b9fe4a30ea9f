// Figure 8 — Recording: what the recorder costs while a meeting is recorded (CPU seconds of the
// recorder process and its per-track encoders, per participant-second) and how fast the compositor
// turns the tracks into the MP4 (seconds of meeting per second of compositing, "× real time"), for
// meetings of 2 and 4 synthetic participants (camera + microphone each).
//
//   npx tsx bench/recording.ts [--runs N] [--smoke]
//
// The team server runs in its own process (bench/lib/stack.ts), the participants in another
// (bench/lib/publishers.ts); the recorder is the server's child, found in its process tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composite } from '@server/recording/compositor';
import { parseTimeline, TIMELINE_FILE } from '@server/recording/timeline';
import { isMain, logger, runMain, sleep, type BenchOptions } from './lib/cli';
import { finishMachineInfo, machineInfo } from './lib/machine';
import { processTree, startCpuWindow } from './lib/proc';
import { startPublishers } from './lib/publishers';
import { printResult, series, writeResult, type FigureResult } from './lib/report';
import { benchSession, startBenchStack } from './lib/stack';
import { median } from './lib/stats';
import { barChart, stripChart } from './lib/svg';

/** The recorder (recorder-main.ts from source, or recorder.js built) among the server's descendants. */
function recorderPid(serverPid: number): number | undefined {
  for (const pid of processTree(serverPid)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/recorder(-main\.ts|\.js)/.test(cmd)) return pid;
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(200);
  }
}

export async function runRecordingBench(o: BenchOptions): Promise<FigureResult> {
  const log = logger(o);
  const runs = o.runs ?? (o.smoke ? 1 : 3);
  const sizes = o.smoke ? [2] : [2, 4];
  const recordS = o.smoke ? 3 : 20;
  const machine = machineInfo();
  const t0 = Date.now();
  const stack = await startBenchStack();
  const cpuPerPs: Record<number, number[]> = {};
  const recorderCores: Record<number, number[]> = {};
  const speed: Record<number, number[]> = {};
  const serverSpeed: Record<number, number[]> = {};
  const retries: string[] = [];
  try {
    const session = await benchSession(stack);
    for (let run = 0; run < runs; run++) {
      for (const n of sizes) {
        const room = `bench-rec-${n}-${run}`;
        await session.ensureRoom(room);
        const pubs = startPublishers({ fps: 15, width: 640, height: 360 });
        try {
          const grants = [];
          for (let i = 0; i < n; i++) grants.push(await session.join(room, `P${i}`));
          await pubs.add(grants);
          // On a loaded machine the recorder may miss its join deadline: one more try, and said in the notes.
          const rec = await session.api.startRecording(room).catch(async (err: unknown) => {
            retries.push(`run ${run + 1}, ${n} participants: start refused (${(err as Error).message}); tried again`);
            return session.api.startRecording(room);
          });
          const dir = join(stack.dataDir, 'recordings', rec.id);
          // Measure once every track has its encoder: the start-up is not the steady cost.
          await until(
            'the recorder to write every track',
            () => {
              if (!existsSync(join(dir, TIMELINE_FILE))) return undefined;
              const tl = parseTimeline(readFileSync(join(dir, TIMELINE_FILE), 'utf8'));
              const video = tl.segments.filter((s) => s.kind === 'video').length;
              const audio = tl.segments.filter((s) => s.kind === 'audio').length;
              return video >= n && audio >= n ? true : undefined;
            },
            60_000,
          );
          const pid = await until('the recorder process', () => recorderPid(stack.serverPid), 10_000);
          const window = startCpuWindow({ recorder: () => processTree(pid) });
          await sleep(recordS * 1000);
          const w = window();
          const cores = w.cores.recorder ?? Number.NaN;
          (recorderCores[n] ??= []).push(cores);
          // Cores busy over the window, shared out per participant: CPU seconds per participant-second.
          (cpuPerPs[n] ??= []).push(cores / n);
          const stoppedAt = Date.now();
          await session.api.stopRecording(room);
          const ready = await until(
            'the recording to be ready',
            async () => {
              const r = (await session.api.listRecordings({ room })).recordings.find((x) => x.id === rec.id);
              return r && (r.status === 'ready' || r.status === 'failed') ? r : undefined;
            },
            300_000,
          );
          if (ready.status !== 'ready') throw new Error(`recording ${rec.id} failed`);
          (serverSpeed[n] ??= []).push((ready.durationSeconds ?? 0) / ((Date.now() - stoppedAt) / 1000));
          // The compositor alone, on the same tracks, in this process: seconds of meeting per second.
          const c0 = performance.now();
          const out = await composite(dir, { fps: 15 });
          (speed[n] ??= []).push(out.durationMs / (performance.now() - c0));
          log(
            `run ${run + 1}/${runs}, ${n} people: recorder ${cores.toFixed(3)} cores = ${cpuPerPs[n]!.at(-1)!.toFixed(4)} CPU-s per participant-s; compositor ${speed[n]!.at(-1)!.toFixed(2)}x real time`,
          );
          await session.api.deleteRecording(rec.id);
        } finally {
          await pubs.close();
        }
      }
    }
    const headline = sizes.flatMap((n) => [
      {
        figure: `recorder CPU, ${n} participants`,
        value: median(cpuPerPs[n] ?? []),
        unit: 'CPU-s per participant-s',
        target: 'report only',
        met: null,
      },
      {
        figure: `compositor speed, ${n} participants`,
        value: median(speed[n] ?? []),
        unit: '× real time',
        target: '>= 1x (a meeting composites in less than its length)',
        met: Number.isFinite(median(speed[n] ?? [])) ? median(speed[n] ?? []) >= 1 : null,
      },
    ]);
    const result: FigureResult = {
      id: 'recording',
      number: 7,
      title: 'Recording',
      command: `npx tsx bench/recording.ts${o.smoke ? ' --smoke' : ''}${o.runs ? ` --runs ${o.runs}` : ''}`,
      smoke: o.smoke,
      startedAt: new Date(t0).toISOString(),
      durationS: (Date.now() - t0) / 1000,
      machine: finishMachineInfo(machine),
      headline,
      series: sizes.flatMap((n) => [
        series(`recorder CPU per participant-second, ${n} participants`, 'CPU-s', cpuPerPs[n] ?? []),
        series(`recorder + encoders, ${n} participants`, 'cores', recorderCores[n] ?? []),
        series(`compositor alone, ${n} participants`, '× real time', speed[n] ?? []),
        series(`stop to listed (recorder finishing + composite + store), ${n} participants`, '× real time', serverSpeed[n] ?? []),
      ]),
      tables: [],
      notes: [
        `Each participant publishes a 640×360 camera at 15 fps (simulcast, synthetic moving picture) and a 48 kHz tone, from one publisher process; the recorder subscribes to every track and encodes each (x264 ultrafast for video, Opus for audio: @livekit/rtc-node gives decoded frames only).`,
        `Recorder CPU is read from /proc for the recorder process and its encoder children over ${recordS} s of steady recording, once every track has its file.`,
        ...(retries.length ? [`Retried: ${retries.join('; ')}.`] : []),
        'Compositor speed: composite() run again in the bench process on the same recording folder (1280×720, 15 fps, x264 veryfast CRF 26 + AAC), meeting length divided by wall time; "stop to listed" is the same from the host\'s stop to the recording being listed as ready, as a person waits for it.',
      ],
      charts: [],
    };
    const charts = {
      'recording-cpu.svg': stripChart({
        title: 'Recorder CPU per participant-second',
        unit: 'CPU-s per participant-s',
        series: sizes.map((n) => ({ name: `${n} participants`, values: cpuPerPs[n] ?? [] })),
        references: [],
      }),
      'recording-compositor.svg': barChart({
        title: 'Compositor speed (median of runs)',
        unit: '× real time',
        categories: sizes.map((n) => `${n} participants`),
        groups: [
          { name: 'compositor alone', values: sizes.map((n) => median(speed[n] ?? [])) },
          { name: 'stop to listed', values: sizes.map((n) => median(serverSpeed[n] ?? [])) },
        ],
        references: [{ value: 1, label: 'real time' }],
      }),
    };
    writeResult(result, o.out, charts);
    return result;
  } finally {
    await stack.close();
  }
}

if (isMain(import.meta.url)) {
  runMain(async (o) => printResult(await runRecordingBench(o)));
}
