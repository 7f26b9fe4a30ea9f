// Figure 7 — Direct 1:1 calls: the real web client in a two-person call that goes direct (the room
// option on) against the same call through the SFU (the option off) and the bare direct-P2P floor
// (two harness pages in a plain RTCPeerConnection), interleaved round by round in one run:
//   - glass-to-glass latency: the remote person's camera is a canvas showing a millisecond clock;
//     the page that joins reads the clock back from every frame its tile shows;
//   - join time: the click on "Join now" to the first remote frame shown in the tile (and, for the
//     direct call, to the moment the call is direct);
//   - handover: the largest hole in the received audio and in the shown picture when a third person
//     joins (the call moves to the SFU) and when the room falls back to two (it goes direct again).
//
//   npx tsx bench/direct-call.ts [--runs N] [--cycles N] [--smoke]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { createApiClient } from '@contracts/api-client';
import { isMain, logger, runMain, sleep, type BenchOptions } from './lib/cli';
import { launchBenchBrowser, openHarness, type BenchBrowser } from './lib/browser';
import type { CallProbe, ShownFrame } from './lib/call-probe-page';
import { callProbeScript } from './lib/call-probe';
import { buildWebClient, serveHarness } from './lib/harness';
import { joinProbeScript, type JoinProbe } from './lib/join-probe';
import { openToJoin } from './join-time';
import { finishMachineInfo, machineInfo, versionOf } from './lib/machine';
import { largestAudioHole, largestVideoGap } from './lib/media-gaps';
import { printResult, series, writeResult, type FigureResult } from './lib/report';
import { BENCH_USER, benchSession, startBenchStack, type BenchSession, type BenchStack } from './lib/stack';
import { median, ratio } from './lib/stats';
import { barChart, stripChart } from './lib/svg';

type Mode = 'direct' | 'sfu';
const ROOMS: Record<Mode, string> = { direct: 'bench-direct', sfu: 'bench-via-server' };
const MODE_NAME: Record<Mode, string> = { direct: 'direct call', sfu: 'via the SFU' };
const BOB = { username: 'bob', password: 'bench-password-2', displayName: 'Bob' };
const CY = { username: 'cyd', password: 'bench-password-3', displayName: 'Cy' };
/** The issue's targets for the handover. */
const AUDIO_TARGET_MS = 500;
const VIDEO_TARGET_MS = 1000;

declare global {
  interface Window {
    __joinProbe: JoinProbe;
    __callProbe?: CallProbe;
  }
}

interface CallRun {
  /** Click to the first remote frame shown. */
  join: number;
  /** Click to the call being direct (direct mode only). */
  direct: number;
  /** Median glass-to-glass of the frames shown in the window, on the mode's own path. */
  latency: number;
  frames: number;
  /** Frames shown in the window that came over the other path (should be 0). */
  otherPath: number;
}

interface Handover {
  audio: number;
  video: number;
}

async function register(stack: BenchStack, session: BenchSession, user: typeof BOB): Promise<void> {
  const invite = await session.api.createInvite({ role: 'member' });
  await createApiClient({ baseUrl: stack.url }).register({ inviteCode: invite.code, ...user });
}

async function join(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Join now$/ }).click();
  await page.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
}

/** Leaves through the UI (a host gets a menu), so the others see the departure at once. */
async function leave(page: Page): Promise<void> {
  const plain = page.getByRole('button', { name: 'Leave meeting' });
  if (await plain.isVisible()) await plain.click();
  else {
    await page.getByRole('button', { name: 'Leave or end meeting' }).click();
    await page.getByRole('menuitem', { name: 'Leave meeting' }).click();
  }
  await page.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ state: 'detached', timeout: 30_000 });
}

const takeFrames = (page: Page): Promise<ShownFrame[]> => page.evaluate(() => window.__callProbe!.takeFrames());
const pageClock = (page: Page): Promise<number> => page.evaluate(() => performance.timeOrigin + performance.now());

/** A fresh person joins the room where Bob waits: join time, then a latency window on the mode's path. */
async function callRun(
  browser: BenchBrowser,
  stack: BenchStack,
  mode: Mode,
  o: { probe: string; warmupMs: number; windowMs: number; timeoutMs: number },
): Promise<CallRun> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, initScript: `${o.probe}\n${joinProbeScript}` });
  try {
    await openToJoin(page, stack.url, ROOMS[mode], BENCH_USER);
    await sleep(300); // let the screen settle so the click does not race its last render
    await page.evaluate(() => {
      window.__joinProbe.armed = true;
      window.__callProbe!.arm();
    });
    await page.getByRole('button', { name: /^Join now$/ }).click();
    await page.waitForFunction(() => window.__joinProbe.shown !== undefined, undefined, { timeout: o.timeoutMs });
    if (mode === 'direct')
      await page.waitForFunction(() => window.__callProbe!.directAt !== undefined, undefined, { timeout: o.timeoutMs });
    const t = await page.evaluate(() => ({
      click: window.__joinProbe.click!,
      shown: window.__joinProbe.shown!,
      direct: window.__callProbe!.directAt === undefined ? Number.NaN : window.__callProbe!.directAt - performance.timeOrigin,
    }));
    await sleep(o.warmupMs);
    await takeFrames(page);
    await sleep(o.windowMs);
    const frames = await takeFrames(page);
    const own = frames.filter((f) => f.path === mode);
    if (own.length === 0) throw new Error(`no frame shown over the ${mode} path in the window (${frames.length} over the other)`);
    await leave(page);
    return {
      join: t.shown - t.click,
      direct: t.direct - t.click,
      latency: median(own.map((f) => f.at - f.stamp)),
      frames: own.length,
      otherPath: frames.length - own.length,
    };
  } finally {
    await page.context().close();
  }
}

/** The bare floor: a plain RTCPeerConnection between two harness pages, join (trickle) and latency. */
async function floorRun(
  sender: Page,
  receiver: Page,
  i: number,
  o: { warmupMs: number; windowMs: number },
): Promise<{ join: number; latency: number; frames: number }> {
  const label = `floor-${i}`;
  await receiver.evaluate((l) => window.bench.p2pTrickleReceive(l), label);
  const t0 = await sender.evaluate((l) => window.bench.p2pTrickleSend(l), label);
  const first = await receiver.evaluate((l) => window.bench.firstFrame(l), label);
  await sender.evaluate(() => window.bench.p2pClose());
  await receiver.evaluate(() => window.bench.p2pClose());

  const offer = await sender.evaluate(() => window.bench.p2pOffer());
  const answer = await receiver.evaluate((sdp) => window.bench.p2pAnswer(sdp, 'p2p'), offer.sdp);
  await sender.evaluate((sdp) => window.bench.p2pAccept(sdp), answer);
  await receiver.evaluate(() => window.bench.firstFrame('p2p'));
  await sleep(o.warmupMs);
  await receiver.evaluate(() => window.bench.takeSamples());
  await sleep(o.windowMs);
  const samples = (await receiver.evaluate(() => window.bench.takeSamples())).p2p ?? [];
  await sender.evaluate(() => window.bench.p2pClose());
  await receiver.evaluate(() => {
    window.bench.p2pClose();
    window.bench.reset();
  });
  return { join: first - t0, latency: median(samples), frames: samples.length };
}

/**
 * One handover cycle in Ada and Bob's direct call: Cy joins (everyone moves to the SFU), then
 * leaves (Ada and Bob go direct again). The holes are what Ada received of Bob, from the click to
 * one second after the move completed.
 */
async function handoverCycle(
  browser: BenchBrowser,
  stack: BenchStack,
  ada: Page,
  bobIdentity: string,
  cyProbe: string,
  timeoutMs: number,
): Promise<{ third: Handover; back: Handover }> {
  const cy = await browser.newPage({ viewport: { width: 1280, height: 720 }, initScript: cyProbe });
  try {
    await openToJoin(cy, stack.url, ROOMS.direct, CY);
    const measure = async (act: () => Promise<void>, done: () => Promise<void>): Promise<Handover> => {
      await ada.evaluate((id) => window.__callProbe!.watchAudio(id), bobIdentity);
      await ada.waitForFunction(() => window.__callProbe!.audio().filter((a) => a.played).length > 5, undefined, { timeout: timeoutMs });
      await takeFrames(ada);
      const from = await pageClock(ada);
      await act();
      await done();
      const to = (await pageClock(ada)) + 1000;
      // The tail: what arrives after `to` shows that nothing was missing up to it.
      await sleep(2500);
      const frames = await takeFrames(ada);
      const audio = await ada.evaluate(() => window.__callProbe!.audio());
      await ada.evaluate(() => window.__callProbe!.stopAudio());
      return { audio: largestAudioHole(audio, from, to).ms, video: largestVideoGap(frames, from, to).ms };
    };
    const third = await measure(
      () => join(cy),
      () =>
        ada
          .waitForFunction(() => window.__callProbe!.route() === 'server' && !window.__parleyDirect?.connection, undefined, {
            timeout: timeoutMs,
            polling: 50,
          })
          .then(() => undefined),
    );
    const back = await measure(
      () => leave(cy),
      () =>
        ada
          .waitForFunction(() => window.__callProbe!.route() === 'direct', undefined, { timeout: timeoutMs, polling: 50 })
          .then(() => undefined),
    );
    return { third, back };
  } finally {
    await cy.context().close();
  }
}

export async function runDirectCallBench(o: BenchOptions & { cycles?: number }): Promise<FigureResult> {
  const log = logger(o);
  const runs = o.runs ?? (o.smoke ? 1 : 8);
  const cycles = o.cycles ?? (o.smoke ? 1 : 5);
  const windows = { warmupMs: o.smoke ? 1000 : 2000, windowMs: o.smoke ? 1500 : 3000 };
  const timeoutMs = 60_000;
  const machine = machineInfo();
  const t0 = Date.now();
  // A steady tone (Chromium loops the file) instead of the fake microphone's beeps, so there is
  // always audio to measure and Opus never goes quiet (DTX).
  const dir = mkdtempSync(joinPath(tmpdir(), 'parley-bench-direct-'));
  const wav = joinPath(dir, 'tone.wav');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '5', '-ac', '1', wav]);
  const web = await buildWebClient();
  const stack = await startBenchStack({ webClientDir: web.dir });
  const harness = await serveHarness();
  const browser = await launchBenchBrowser([`--use-file-for-fake-audio-capture=${wav}`]);
  try {
    machine.livekitServer = versionOf(stack.livekitBinary);
    machine.chromium = browser.version;
    const session = await benchSession(stack);
    await session.api.createRoom({ name: ROOMS.direct, title: 'Bench direct call' });
    await session.api.createRoom({ name: ROOMS.sfu, title: 'Bench via server', options: { directCalls: false } });
    await register(stack, session, BOB);
    await register(stack, session, CY);
    const stamped = await callProbeScript({ stamp: true });
    const plain = await callProbeScript({ stamp: false });

    // Bob waits in each room, his camera the stamped clock.
    const bobs: Page[] = [];
    for (const mode of ['direct', 'sfu'] as const) {
      const bob = await browser.newPage({ viewport: { width: 1280, height: 720 }, initScript: stamped });
      await openToJoin(bob, stack.url, ROOMS[mode], BOB);
      await join(bob);
      bobs.push(bob);
    }
    const sender = await browser.newPage();
    const receiver = await browser.newPage();
    await openHarness(sender, harness.url);
    await openHarness(receiver, harness.url);
    await sender.evaluate(() => window.bench.stampTrack(640, 360, 30));

    // One warm-up of each (JIT, the SFU's first subscriptions): not counted.
    const callOpts = { probe: plain, ...windows, timeoutMs };
    await floorRun(sender, receiver, -1, windows);
    for (const mode of ['direct', 'sfu'] as const) {
      try {
        await callRun(browser, stack, mode, callOpts);
      } catch (err) {
        log(`warm-up ${mode} failed (${(err as Error).message.split('\n')[0]}); continuing`);
      }
    }

    const floor: { join: number; latency: number; frames: number }[] = [];
    const calls: Record<Mode, CallRun[]> = { direct: [], sfu: [] };
    let failures = 0;
    for (let i = 0; i < runs; i++) {
      const f = await floorRun(sender, receiver, i, windows);
      floor.push(f);
      const line = [`floor join ${f.join.toFixed(0)} ms, latency ${f.latency.toFixed(1)} ms (${f.frames} frames)`];
      for (const mode of ['direct', 'sfu'] as const) {
        try {
          const r = await callRun(browser, stack, mode, callOpts);
          calls[mode].push(r);
          line.push(
            `${mode} join ${r.join.toFixed(0)} ms${mode === 'direct' ? ` (direct at ${r.direct.toFixed(0)} ms)` : ''}, latency ${r.latency.toFixed(1)} ms (${r.frames} frames)`,
          );
        } catch (err) {
          failures++;
          line.push(`${mode} failed: ${(err as Error).message.split('\n')[0]}`);
        }
      }
      log(`round ${i + 1}/${runs}: ${line.join('; ')}`);
    }

    // Handover: Ada and Bob in a direct call; Cy joins and leaves, again and again.
    const handovers: { third: Handover; back: Handover }[] = [];
    const ada = await browser.newPage({ viewport: { width: 1280, height: 720 }, initScript: plain });
    await openToJoin(ada, stack.url, ROOMS.direct, BENCH_USER);
    await join(ada);
    await ada.waitForFunction(() => window.__callProbe!.route() === 'direct', undefined, { timeout: timeoutMs });
    const bobTile = ada.locator('[data-kind="camera"][data-identity]').filter({ has: ada.locator('.name', { hasText: /^Bob/ }) });
    const bobIdentity = (await bobTile.getAttribute('data-identity', { timeout: timeoutMs }))!;
    for (let k = 0; k < cycles; k++) {
      try {
        const h = await handoverCycle(browser, stack, ada, bobIdentity, plain, timeoutMs);
        handovers.push(h);
        log(
          `handover ${k + 1}/${cycles}: third joins: audio ${h.third.audio.toFixed(0)} ms, video ${h.third.video.toFixed(0)} ms; back to two: audio ${h.back.audio.toFixed(0)} ms, video ${h.back.video.toFixed(0)} ms`,
        );
      } catch (err) {
        failures++;
        log(`handover ${k + 1}/${cycles} failed: ${(err as Error).message.split('\n')[0]}`);
        // Start the next cycle from a direct call again.
        await ada.waitForFunction(() => window.__callProbe!.route() === 'direct', undefined, { timeout: timeoutMs }).catch(() => undefined);
      }
    }

    const col = (mode: Mode, k: keyof CallRun) => calls[mode].map((r) => r[k]);
    const floorJoin = floor.map((f) => f.join);
    const floorLatency = floor.map((f) => f.latency);
    const hv = (phase: 'third' | 'back', k: keyof Handover) => handovers.map((h) => h[phase][k]);
    const latencyRow = (mode: Mode, target: string, limit?: number) => {
      const value = median(col(mode, 'latency'));
      const r = ratio(value, median(floorLatency));
      return {
        figure: `glass-to-glass, ${MODE_NAME[mode]} (median of runs)`,
        value,
        unit: 'ms',
        floor: median(floorLatency),
        ratio: r,
        target,
        met: limit === undefined ? null : Number.isFinite(r) ? r <= limit : null,
      };
    };
    const joinRow = (mode: Mode, target: string, limit?: number) => {
      const value = median(col(mode, 'join'));
      const r = ratio(value, median(floorJoin));
      return {
        figure: `join, ${MODE_NAME[mode]}: click "Join now" to first remote frame shown`,
        value,
        unit: 'ms',
        floor: median(floorJoin),
        ratio: r,
        target,
        met: limit === undefined ? null : Number.isFinite(r) ? r <= limit : null,
      };
    };
    const gapRow = (phase: 'third' | 'back', k: keyof Handover) => {
      const values = hv(phase, k);
      const limit = k === 'audio' ? AUDIO_TARGET_MS : VIDEO_TARGET_MS;
      const value = median(values);
      return {
        figure: `largest ${k === 'audio' ? 'audio' : 'video'} gap, ${phase === 'third' ? 'a third joins' : 'back to two'} (median of cycles; max ${Math.round(Math.max(...values))} ms)`,
        value,
        unit: 'ms',
        target: `< ${limit} ms`,
        met: Number.isFinite(value) ? value < limit : null,
      };
    };
    const result: FigureResult = {
      id: 'direct-call',
      number: 7,
      title: 'Direct 1:1 calls',
      command: `npx tsx bench/direct-call.ts${o.smoke ? ' --smoke' : ''}${o.runs ? ` --runs ${o.runs}` : ''}${o.cycles ? ` --cycles ${o.cycles}` : ''}`,
      smoke: o.smoke,
      startedAt: new Date(t0).toISOString(),
      durationS: (Date.now() - t0) / 1000,
      machine: finishMachineInfo(machine),
      headline: [
        latencyRow('direct', '<= 1.3x the bare P2P floor', 1.3),
        latencyRow('sfu', '(reported)'),
        joinRow('direct', '<= 1.5x the floor', 1.5),
        joinRow('sfu', '(reported)'),
        {
          figure: 'join, direct call: click "Join now" to the call being direct',
          value: median(col('direct', 'direct')),
          unit: 'ms',
          target: '(reported)',
          met: null,
        },
        gapRow('third', 'audio'),
        gapRow('third', 'video'),
        gapRow('back', 'audio'),
        gapRow('back', 'video'),
      ],
      series: [
        series('glass-to-glass, direct call, median per run', 'ms', col('direct', 'latency')),
        series('glass-to-glass, via the SFU, median per run', 'ms', col('sfu', 'latency')),
        series('glass-to-glass, bare P2P floor, median per run', 'ms', floorLatency),
        series('join, direct call: click to first frame shown', 'ms', col('direct', 'join')),
        series('join, direct call: click to the call being direct', 'ms', col('direct', 'direct')),
        series('join, via the SFU: click to first frame shown', 'ms', col('sfu', 'join')),
        series('join, bare P2P floor: createOffer to first frame decoded', 'ms', floorJoin),
        series('handover, a third joins: largest audio gap', 'ms', hv('third', 'audio')),
        series('handover, a third joins: largest video gap', 'ms', hv('third', 'video')),
        series('handover, back to two: largest audio gap', 'ms', hv('back', 'audio')),
        series('handover, back to two: largest video gap', 'ms', hv('back', 'video')),
      ],
      tables: [],
      notes: [
        `${runs} rounds, each a bare-floor run, a direct call and a call via the SFU, in that order; ${cycles} handover cycles; ${failures} runs or cycles failed. Frames read per latency window (median): direct ${median(col('direct', 'frames'))}, via the SFU ${median(col('sfu', 'frames'))}, floor ${median(floor.map((f) => f.frames))}; frames shown over the other path in a window: ${[...calls.direct, ...calls.sfu].reduce((n, r) => n + r.otherPath, 0)}.`,
        'Client measured: the real web client served by the team server, one headless Chromium (fake media flags). Bob waits in each room (one with "Connect two-person calls directly" on, one with it off), his camera a 640x360 canvas showing a millisecond clock (the stamp of figure 2). Each run a fresh person signs in, waits on the pre-join screen until it is ready, clicks "Join now" and leaves through the UI after one warm-up and one measured window.',
        "Glass-to-glass = receive clock when a frame of the track the tile shows reaches a MediaStreamTrackProcessor minus the clock drawn into it (canvas capture, encode, network on loopback, jitter buffer, decode; not display). Only frames over the mode's own path count (the direct connection, or the SFU's). Floor: the same stamped canvas in a bare RTCPeerConnection between two harness pages (join: createOffer to the first decoded frame with trickle ICE over a loopback relay, as in figure 1).",
        'Join boundaries as in figure 1 (the init script of bench/lib/join-probe.ts): the click, and the first frame the tile\'s <video> presents. "The call being direct" is the web client reporting its route as direct (the view shows the direct copies).',
        `Handover: Ada and Bob in a direct call; Cy clicks "Join now" (the call moves to the SFU; done when Ada's direct connection is closed), then leaves (done when Ada's route is direct again, after the 3 s at two the design waits). Holes are what Ada received of Bob from the click to 1 s after done. Audio: getStats every 50 ms of the streams playing in Bob's <audio> element, each new packet counting 20 ms before its arrival time (a steady 440 Hz tone, so Opus never goes quiet). Video: the longest stretch of Bob's clock between two consecutive frames Ada's tile showed (a page stalled by the CPU does not invent a freeze; a frozen or skipping picture counts).`,
      ],
      charts: [],
    };
    const charts = {
      'direct-call-latency.svg': stripChart({
        title: 'Glass-to-glass latency in a 1:1 call, every run (median of its frames)',
        unit: 'ms',
        series: [
          { name: 'bare P2P floor', values: floorLatency },
          { name: 'direct call', values: col('direct', 'latency') },
          { name: 'via the SFU', values: col('sfu', 'latency') },
        ],
        references: [{ value: median(floorLatency) * 1.3, label: 'target: 1.3x floor' }],
      }),
      'direct-call-join.svg': stripChart({
        title: 'Join time in a 1:1 call, every run',
        unit: 'ms',
        series: [
          { name: 'bare P2P floor', values: floorJoin },
          { name: 'direct: first frame shown', values: col('direct', 'join') },
          { name: 'direct: call is direct', values: col('direct', 'direct') },
          { name: 'via the SFU: first frame shown', values: col('sfu', 'join') },
        ],
        references: [{ value: median(floorJoin) * 1.5, label: 'target: 1.5x floor' }],
      }),
      'direct-call-handover.svg': barChart({
        title: 'Largest gap in what Ada receives of Bob during a handover',
        unit: 'ms',
        categories: ['audio, third joins', 'video, third joins', 'audio, back to two', 'video, back to two'],
        groups: [
          {
            name: 'median of cycles',
            values: [median(hv('third', 'audio')), median(hv('third', 'video')), median(hv('back', 'audio')), median(hv('back', 'video'))],
          },
          {
            name: 'worst cycle',
            values: [hv('third', 'audio'), hv('third', 'video'), hv('back', 'audio'), hv('back', 'video')].map((v) =>
              v.length ? Math.max(...v) : Number.NaN,
            ),
          },
        ],
        references: [
          { value: AUDIO_TARGET_MS, label: 'audio target' },
          { value: VIDEO_TARGET_MS, label: 'video target' },
        ],
      }),
    };
    writeResult(result, o.out, charts);
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await harness.close();
    await stack.close();
    web.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  runMain(
    async (o, extra) => {
      const cycles = typeof extra.cycles === 'string' ? Number(extra.cycles) : undefined;
      if (cycles !== undefined && (!Number.isInteger(cycles) || cycles < 1))
        throw new Error(`--cycles takes a whole number >= 1 (got ${extra.cycles})`);
      printResult(await runDirectCallBench({ ...o, ...(cycles ? { cycles } : {}) }));
    },
    { cycles: { type: 'string' } },
  );
}
