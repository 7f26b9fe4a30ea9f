// Figure 1 — Join time: from the click on "Join" in the web client (Chromium, fake media) to the first
// remote video frame shown in its tile, broken down into token request, signal connection, ICE/DTLS,
// first frame decoded and decoded to shown. The floor, measured in the same run and interleaved run by run: two Chromium pages in a
// direct RTCPeerConnection on loopback, from createOffer to the first decoded frame.
//
//   npx tsx bench/join-time.ts [--runs N] [--smoke]
//
// The remote participant is a harness page publishing the fake camera like Parley does (720p VP8
// simulcast); the floor sends the same fake camera at 720p. Each Parley run uses a fresh browser
// context (cold: no warm connections), signs in through the UI, waits on the pre-join screen until
// it is ready, and only then clicks.
import type { Page } from 'playwright-core';
import { isMain, logger, runMain, sleep, type BenchOptions } from './lib/cli';
import { launchBenchBrowser, openHarness, type BenchBrowser } from './lib/browser';
import { buildWebClient, serveHarness } from './lib/harness';
import { joinProbeScript, type JoinProbe } from './lib/join-probe';
import { finishMachineInfo, machineInfo, versionOf } from './lib/machine';
import { printResult, series, writeResult, type FigureResult } from './lib/report';
import { BENCH_USER, benchSession, startBenchStack, type BenchSession, type BenchStack } from './lib/stack';
import { median, ratio } from './lib/stats';
import { barChart, stripChart } from './lib/svg';

const ROOM = 'bench-join';
/** One frame of the remote's 30 fps camera: the most "shown" may trail "decoded". */
const FRAME_MS = 1000 / 30;

interface Breakdown {
  /** Click to the first remote frame shown in the tile. */
  total: number;
  /** Click to the first remote frame decoded. */
  decoded: number;
  token: number;
  signal: number;
  iceDtls: number;
  firstFrame: number;
  /** First frame decoded to the tile's <video> presenting its first frame. */
  shownGap: number;
}

declare global {
  interface Window {
    __joinProbe: JoinProbe;
  }
}

/** Opens the web client on `room`, signs in as `who` if asked, and waits until "Join now" can be clicked. */
export async function openToJoin(
  page: Page,
  serverUrl: string,
  room: string,
  who: { username: string; password: string } = BENCH_USER,
): Promise<void> {
  await page.goto(`${serverUrl}/#/room/${room}`);
  const username = page.locator('#username');
  const joinNow = page.getByRole('button', { name: /^Join now$/ });
  await Promise.race([username.waitFor({ timeout: 30_000 }), joinNow.waitFor({ timeout: 30_000 })]);
  if (await username.isVisible()) {
    await username.fill(who.username);
    await page.fill('#password', who.password);
    await page.getByRole('button', { name: /^Sign in$/ }).click();
  }
  await joinNow.waitFor({ timeout: 30_000 });
  // The pre-join screen is ready when the camera preview plays and the button is enabled.
  await page.waitForFunction(
    () => {
      const v = document.querySelector('video');
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Join now');
      return !!b && !(b as HTMLButtonElement).disabled && (!v || v.readyState >= 2);
    },
    undefined,
    { timeout: 30_000 },
  );
}

async function parleyJoin(browser: BenchBrowser, stack: BenchStack, timeoutMs: number): Promise<Breakdown> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, initScript: joinProbeScript });
  try {
    await openToJoin(page, stack.url, ROOM);
    await sleep(300); // let the screen settle so the click does not race its last render
    await page.evaluate(() => {
      window.__joinProbe.armed = true;
    });
    await page.getByRole('button', { name: /^Join now$/ }).click();
    await page.waitForFunction(() => window.__joinProbe.firstFrame !== undefined && window.__joinProbe.shown !== undefined, undefined, {
      timeout: timeoutMs,
    });
    const p = await page.evaluate(() => window.__joinProbe);
    const click = p.click!;
    const tokenEnd = p.tokenEnd ?? click;
    const signalEnd = p.wsFirstMessage ?? tokenEnd;
    const connected = p.videoPc !== undefined ? (p.pcConnected[p.videoPc] ?? signalEnd) : signalEnd;
    const frame = p.firstFrame!;
    const shown = p.shown!;
    return {
      total: shown - click,
      decoded: frame - click,
      shownGap: shown - frame,
      token: tokenEnd - click,
      signal: signalEnd - tokenEnd,
      iceDtls: connected - signalEnd,
      firstFrame: frame - connected,
    };
  } finally {
    await page.context().close();
  }
}

/**
 * The floor: createOffer on one page to the first decoded frame on the other, direct on loopback,
 * signalling page to page over the harness's loopback relay with trickle ICE (as LiveKit signals over
 * its WebSocket), so no bench round trip sits inside the measured interval.
 */
async function p2pFloor(sender: Page, receiver: Page, label: string): Promise<number> {
  await receiver.evaluate((l) => window.bench.p2pTrickleReceive(l), label);
  const t0 = await sender.evaluate((l) => window.bench.p2pTrickleSend(l), label);
  const first = await receiver.evaluate((l) => window.bench.firstFrame(l), label);
  await sender.evaluate(() => window.bench.p2pClose());
  await receiver.evaluate(() => window.bench.p2pClose());
  return first - t0;
}

export async function runJoinTimeBench(o: BenchOptions): Promise<FigureResult> {
  const log = logger(o);
  const runs = o.runs ?? (o.smoke ? 2 : 20);
  const machine = machineInfo();
  const t0 = Date.now();
  const web = await buildWebClient();
  const stack = await startBenchStack({ webClientDir: web.dir });
  const harness = await serveHarness();
  const browser = await launchBenchBrowser();
  try {
    machine.livekitServer = versionOf(stack.livekitBinary);
    machine.chromium = browser.version;
    const session: BenchSession = await benchSession(stack);
    await session.ensureRoom(ROOM);

    // The remote participant everyone joins to see.
    const remote = await browser.newPage();
    await openHarness(remote, harness.url);
    await remote.evaluate(() => window.bench.cameraTrack());
    const g = await session.join(ROOM, 'Remote');
    await remote.evaluate((grant) => window.bench.lkConnect(grant.url, grant.token, { adaptiveStream: true }), g);
    await remote.evaluate(() => window.bench.lkPublishCamera());

    const sender = await browser.newPage();
    const receiver = await browser.newPage();
    await openHarness(sender, harness.url);
    await openHarness(receiver, harness.url);
    await sender.evaluate(() => window.bench.cameraTrack());

    // One warm-up of each (JIT, first getUserMedia, the SFU's first room): not counted.
    await p2pFloor(sender, receiver, 'warmup');
    try {
      await parleyJoin(browser, stack, 30_000);
    } catch (err) {
      log(`warm-up join failed (${(err as Error).message.split('\n')[0]}); continuing`);
    }

    const floor: number[] = [];
    const joins: Breakdown[] = [];
    let failures = 0;
    const failedRuns: string[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(await p2pFloor(sender, receiver, `floor-${i}`));
      try {
        const b = await parleyJoin(browser, stack, 30_000);
        joins.push(b);
        log(
          `run ${i + 1}/${runs}: join ${b.total.toFixed(0)} ms (token ${b.token.toFixed(0)}, signal ${b.signal.toFixed(0)}, ICE/DTLS ${b.iceDtls.toFixed(0)}, first frame ${b.firstFrame.toFixed(0)}, decoded to shown ${b.shownGap.toFixed(0)}); floor ${floor.at(-1)!.toFixed(0)} ms`,
        );
      } catch (err) {
        failures++;
        failedRuns.push(`run ${i + 1}/${runs}: join failed: ${(err as Error).message.split('\n')[0]}`);
        log(failedRuns.at(-1)!);
      }
    }

    const col = (k: keyof Breakdown) => joins.map((j) => j[k]);
    const value = median(col('total'));
    const fl = median(floor);
    const r = ratio(value, fl);
    const result: FigureResult = {
      id: 'join-time',
      number: 1,
      title: 'Join time',
      command: `npx tsx bench/join-time.ts${o.smoke ? ' --smoke' : ''}${o.runs ? ` --runs ${o.runs}` : ''}`,
      smoke: o.smoke,
      startedAt: new Date(t0).toISOString(),
      durationS: (Date.now() - t0) / 1000,
      machine: finishMachineInfo(machine),
      headline: [
        {
          figure: 'click "Join" to first remote frame shown in the tile',
          value,
          unit: 'ms',
          floor: fl,
          ratio: r,
          target: '<= 1.5x the floor',
          met: Number.isFinite(r) ? r <= 1.5 : null,
        },
        {
          figure: 'first frame decoded to shown in the tile',
          value: median(col('shownGap')),
          unit: 'ms',
          target: `<= 1 frame (${FRAME_MS.toFixed(0)} ms)`,
          met: Number.isFinite(median(col('shownGap'))) ? median(col('shownGap')) <= FRAME_MS : null,
        },
      ],
      series: [
        series('join: total (click to first frame shown)', 'ms', col('total')),
        series('join: click to first frame decoded', 'ms', col('decoded')),
        series('join: token request (click to response)', 'ms', col('token')),
        series('join: signal connection (to join response)', 'ms', col('signal')),
        series('join: ICE/DTLS (to peer connection connected)', 'ms', col('iceDtls')),
        series('join: first frame (connected to first decoded frame)', 'ms', col('firstFrame')),
        series('join: decoded to shown (first decoded frame to first frame the tile presents)', 'ms', col('shownGap')),
        series('floor: direct P2P createOffer to first decoded frame', 'ms', floor),
      ],
      tables: [],
      notes: [
        'Client measured: the real web client served by the team server (sign-in, pre-join with camera and microphone on, "Join now"); each run in a fresh browser context.',
        `Token route: authenticated POST /api/v1/rooms/:room/join. ${failures} of ${runs} joins failed.`,
        'Breakdown boundaries come from an init script in the page: the join fetch resolving, the first message on LiveKit\'s /rtc WebSocket (the join response), connectionState "connected" of the peer connection the video arrived on, the first VideoFrame from a MediaStreamTrackProcessor on a clone of the remote track (decoded), and the first requestVideoFrameCallback of the tile\'s own <video> once the app sets that track as its srcObject (shown: expectedDisplayTime).',
      ],
      charts: [],
      failedRuns,
    };
    const charts = {
      'join-time.svg': stripChart({
        title: 'Join time: every run',
        unit: 'ms',
        series: [
          { name: 'floor: direct P2P', values: floor },
          { name: 'Parley: click to first frame shown', values: col('total') },
        ],
        references: [{ value: fl * 1.5, label: 'target: 1.5x floor' }],
      }),
      'join-time-breakdown.svg': barChart({
        title: 'Join time breakdown (median of runs)',
        unit: 'ms',
        categories: ['token request', 'signal connection', 'ICE/DTLS', 'first frame', 'decoded to shown', 'total'],
        groups: [
          {
            name: 'Parley join (median per phase)',
            values: [
              median(col('token')),
              median(col('signal')),
              median(col('iceDtls')),
              median(col('firstFrame')),
              median(col('shownGap')),
              value,
            ],
          },
        ],
        references: [{ value: fl, label: 'floor (P2P)' }],
      }),
    };
    writeResult(result, o.out, charts);
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await harness.close();
    await stack.close();
    web.remove();
  }
}

if (isMain(import.meta.url)) {
  runMain(async (o) => printResult(await runJoinTimeBench(o)));
}
