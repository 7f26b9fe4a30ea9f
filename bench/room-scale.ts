// Figure 3 — Room scale: N synthetic publishers (720p simulcast VP8 + audio, @livekit/rtc-node, in
// their own process) and one Chromium subscriber showing every camera in a grid sized like Parley's
// (Parley's gridGeometry in a 1280x720 window). For each N the subscriber joins twice, with
// adaptiveStream on and off, and we measure its downlink, decoded frames per tile and CPU, plus
// livekit-server's CPU and memory and the whole machine's CPU (to see where the 2 cores saturate).
// The floor of the downlink ratio is the same N without adaptive stream, measured in the same run.
//
//   npx tsx bench/room-scale.ts [--runs N] [--smoke] [--sizes 4,9,16,25]
import type { Page } from 'playwright-core';
import { isMain, logger, runMain, sleep, type BenchOptions } from './lib/cli';
import { launchBenchBrowser, openHarness, type BenchBrowser } from './lib/browser';
import { serveHarness } from './lib/harness';
import { finishMachineInfo, machineInfo, versionOf } from './lib/machine';
import { processTree, rssMiB, startCpuWindow } from './lib/proc';
import { startPublishers } from './lib/publishers';
import { printResult, series, writeResult, type FigureResult, type SeriesResult } from './lib/report';
import { benchSession, startBenchStack, type BenchStack } from './lib/stack';
import { median, ratio } from './lib/stats';
import { barChart } from './lib/svg';

// 5 fps, not a camera's 30: one publisher's three-layer 720p VP8 encode costs ~0.3 cores at 15 fps
// here (measured), so 16 of them at camera rates would need several cores before the SFU or the
// subscriber run at all. The figure is about which simulcast layers the SFU forwards to each tile,
// and the layers (1280x720, 640x360, 320x180 at their bitrates) stay the same at 5 fps; only the
// encoding work per second shrinks.
const PUBLISH_FPS = Number(process.env.BENCH_PUBLISH_FPS ?? 5);
// The whole figure stays within ~6 minutes: a size that would not finish in this budget (judged by
// how long the previous size took) is skipped and reported as such.
const BUDGET_MS = 5 * 60_000;

interface Sample {
  downKbps: number;
  fpsPerTile: number;
  subscriberCpu: number;
  sfuCpu: number;
  publisherCpu: number;
  machineCpu: number;
  sfuRssMiB: number;
}

interface ConfigResult {
  n: number;
  adaptive: boolean;
  tiles: number;
  samples: Sample[];
  /** Decoded frame widths of the tiles at the end (what layer each tile receives). */
  widths: number[];
}

async function measureConfig(
  browser: BenchBrowser,
  harnessUrl: string,
  grant: { url: string; token: string },
  n: number,
  adaptive: boolean,
  pids: { sfu: number | null; publishers: number },
  timing: { warmupMs: number; windowMs: number; windows: number },
): Promise<ConfigResult> {
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await openHarness(page, harnessUrl);
    await page.evaluate((g) => window.bench.lkConnect(g.url, g.token, { adaptiveStream: g.adaptive, grid: true }), { ...grant, adaptive });
    await page.waitForFunction((want) => window.bench.tiles() >= want, n, { timeout: 60_000 });
    // Bandwidth estimation ramps up and adaptive stream settles on a layer: skip the first seconds.
    await sleep(timing.warmupMs);
    const samples: Sample[] = [];
    const chromium = () => processTree(process.pid, /chrom/i);
    for (let i = 0; i < timing.windows; i++) {
      const before = await page.evaluate(() => window.bench.inbound());
      const cpu = startCpuWindow({
        subscriber: chromium,
        sfu: () => (pids.sfu ? [pids.sfu] : []),
        publishers: () => [pids.publishers],
      });
      await sleep(timing.windowMs);
      const after = await page.evaluate(() => window.bench.inbound());
      const c = cpu();
      const seconds = (after.at - before.at) / 1000;
      samples.push({
        downKbps: ((after.bytes - before.bytes) * 8) / 1000 / seconds,
        fpsPerTile: (after.framesDecoded - before.framesDecoded) / seconds / Math.max(n, 1),
        subscriberCpu: c.cores.subscriber ?? Number.NaN,
        sfuCpu: c.cores.sfu ?? Number.NaN,
        publisherCpu: c.cores.publishers ?? Number.NaN,
        machineCpu: c.machineCores,
        sfuRssMiB: pids.sfu ? rssMiB(pids.sfu) : Number.NaN,
      });
    }
    const end = await page.evaluate(() => window.bench.inbound());
    await page.evaluate(() => window.bench.lkDisconnect());
    return { n, adaptive, tiles: n, samples, widths: end.widths };
  } finally {
    await page.context().close();
  }
}

export async function runRoomScaleBench(o: BenchOptions & { sizes?: number[] }): Promise<FigureResult> {
  const log = logger(o);
  const sizes = o.sizes ?? (o.smoke ? [2] : [4, 9, 16, 25]);
  const timing = o.smoke ? { warmupMs: 2000, windowMs: 1500, windows: 1 } : { warmupMs: 10_000, windowMs: 4000, windows: o.runs ?? 3 };
  const machine = machineInfo();
  const t0 = Date.now();
  let stack: BenchStack | undefined;
  const stackP = startBenchStack();
  const harness = await serveHarness();
  const browser = await launchBenchBrowser();
  const publishers = startPublishers({ fps: PUBLISH_FPS });
  try {
    stack = await stackP;
    machine.livekitServer = versionOf(stack.livekitBinary);
    machine.chromium = browser.version;
    const session = await benchSession(stack);
    const room = 'bench-scale';
    await session.ensureRoom(room);
    const configs: ConfigResult[] = [];
    let stoppedAt: { n: number; why: string } | undefined;
    let skipped: number[] = [];
    let lastSizeMs = 0;
    for (const [index, n] of sizes.entries()) {
      // A bigger room takes longer than the last (more publishers to connect): 1.5x is the estimate.
      if (!o.smoke && Date.now() - t0 + 1.5 * lastSizeMs > BUDGET_MS) {
        skipped = sizes.slice(index);
        log(`N=${skipped.join(', ')}: skipped, past the time budget`);
        break;
      }
      const sizeStart = Date.now();
      try {
        const missing = n - publishers.count;
        if (missing > 0) {
          const grants = [];
          for (let i = 0; i < missing; i++) grants.push(await session.join(room, `Publisher ${publishers.count + i + 1}`));
          await publishers.add(grants);
        }
        log(`N=${n}: ${publishers.count} publishers live`);
        await sleep(o.smoke ? 500 : 3000);
        for (const adaptive of [true, false]) {
          const grant = await session.join(room, 'Subscriber');
          const r = await measureConfig(
            browser,
            harness.url,
            grant,
            n,
            adaptive,
            { sfu: stack.sfuPid, publishers: publishers.pid },
            timing,
          );
          configs.push(r);
          const m = (k: keyof Sample) => median(r.samples.map((s) => s[k]));
          log(
            `N=${n} adaptive=${adaptive}: down ${m('downKbps').toFixed(0)} kbps, ${m('fpsPerTile').toFixed(1)} fps/tile, subscriber ${m('subscriberCpu').toFixed(2)} cores, sfu ${m('sfuCpu').toFixed(2)} cores / ${m('sfuRssMiB').toFixed(0)} MiB, publishers ${m('publisherCpu').toFixed(2)}, machine ${m('machineCpu').toFixed(2)}; widths ${r.widths.join(',')}`,
          );
        }
        lastSizeMs = Date.now() - sizeStart;
      } catch (err) {
        // A size the machine cannot host (publishers cannot connect, tiles never appear) is itself
        // the saturation point: report what was measured up to it.
        stoppedAt = { n, why: (err as Error).message.split('\n')[0] ?? 'error' };
        log(`N=${n}: stopped: ${stoppedAt.why}`);
        break;
      }
    }
    if (configs.length === 0) throw new Error(`no room size could be measured: ${stoppedAt?.why}`);
    const measured = [...new Set(configs.map((c) => c.n))];

    const med = (n: number, adaptive: boolean, k: keyof Sample) =>
      median(configs.find((c) => c.n === n && c.adaptive === adaptive)?.samples.map((s) => s[k]) ?? []);
    const headN = measured.includes(16) ? 16 : measured[measured.length - 1]!;
    const on = med(headN, true, 'downKbps');
    const off = med(headN, false, 'downKbps');
    const r = ratio(on, off);
    // Saturation: the first N whose tiles decode under 80 % of the published frame rate with
    // adaptive stream on (the app's mode). Not machine CPU: on a shared machine other suites' load
    // fills the cores too, so a full machine says nothing about this room on its own.
    const cores = machine.cores;
    const saturated = measured.find((n) => med(n, true, 'fpsPerTile') < 0.8 * PUBLISH_FPS) ?? stoppedAt?.n;
    const rows = configs.map((c) => {
      const m = (k: keyof Sample) => median(c.samples.map((s) => s[k]));
      const layers = c.widths.filter((w) => w > 0);
      return [
        c.n,
        c.adaptive ? 'on' : 'off',
        m('downKbps'),
        m('fpsPerTile'),
        m('subscriberCpu'),
        m('sfuCpu'),
        m('sfuRssMiB'),
        m('publisherCpu'),
        m('machineCpu'),
        layers.length ? `${Math.min(...layers)}–${Math.max(...layers)}` : 'n/a',
      ];
    });
    const allSeries: SeriesResult[] = configs.flatMap((c) => [
      series(
        `N=${c.n} adaptive ${c.adaptive ? 'on' : 'off'}: downlink`,
        'kbps',
        c.samples.map((s) => s.downKbps),
      ),
      series(
        `N=${c.n} adaptive ${c.adaptive ? 'on' : 'off'}: decoded fps per tile`,
        'fps',
        c.samples.map((s) => s.fpsPerTile),
      ),
    ]);
    const result: FigureResult = {
      id: 'room-scale',
      number: 3,
      title: 'Room scale',
      command: `npx tsx bench/room-scale.ts${o.smoke ? ' --smoke' : ''}${o.runs ? ` --runs ${o.runs}` : ''}`,
      smoke: o.smoke,
      startedAt: new Date(t0).toISOString(),
      durationS: (Date.now() - t0) / 1000,
      machine: finishMachineInfo(machine),
      headline: [
        {
          figure: `subscriber downlink at N = ${headN}, adaptive stream on`,
          value: on,
          unit: 'kbps',
          floor: off,
          ratio: r,
          target: '<= 0.2x adaptive off',
          met: Number.isFinite(r) ? r <= 0.2 : null,
        },
        {
          figure: 'machine saturates at',
          value: saturated ?? Number.NaN,
          unit: saturated ? 'publishers' : `(not within N <= ${measured[measured.length - 1]})`,
          target: '(reported)',
          met: null,
        },
      ],
      series: allSeries,
      tables: [
        {
          title: `Per room size (median of ${timing.windows} windows of ${timing.windowMs / 1000} s after ${timing.warmupMs / 1000} s warm-up; CPU in cores, 2.0 = this machine)`,
          columns: [
            'N',
            'adaptive stream',
            'downlink kbps',
            'decoded fps / tile',
            'subscriber CPU',
            'livekit-server CPU',
            'livekit-server RSS MiB',
            'publishers CPU',
            'machine CPU',
            'tile frame widths',
          ],
          rows,
        },
      ],
      notes: [
        ...(stoppedAt ? [`Stopped at N = ${stoppedAt.n}: ${stoppedAt.why}.`] : []),
        ...(skipped.length
          ? [`Not measured: N = ${skipped.join(', ')} (the figure's ${BUDGET_MS / 60_000}-minute time budget would have been exceeded).`]
          : []),
        ...(headN !== 16 && !o.smoke ? [`N = 16 could not be measured; the headline uses N = ${headN}.`] : []),
        `Publishers: up to ${measured[measured.length - 1]} @livekit/rtc-node participants in one process, each 1280x720 VP8 simulcast with Parley's camera layers (1280x720 at up to 1.7 Mbps, 640x360, 320x180) at ${PUBLISH_FPS} fps plus a 48 kHz tone, dynacast on. ${PUBLISH_FPS} fps rather than a camera's 30 because one three-layer 720p encode costs ~0.3 cores at 15 fps here: the layers, and so which one the SFU forwards to each tile, are the same, only the encoding work per second is smaller. The publishers share the 2 cores with the SFU and the subscriber; 'machine CPU' and 'decoded fps / tile' (against the ${PUBLISH_FPS} fps published) show where the machine saturates.`,
        "Subscriber: livekit-client in Chromium, every camera attached to a tile of a 1280x720 grid laid out with Parley's own gridGeometry (renderer/src/lib/layout.ts), audio played; downlink = all inbound RTP bytes (video and audio) over the window.",
      ],
      charts: [],
    };
    const cats = measured.map((n) => `N = ${n}`);
    const charts = {
      'room-scale-downlink.svg': barChart({
        title: 'Subscriber downlink by room size (log scale)',
        unit: 'kbit/s',
        categories: cats,
        groups: [
          { name: 'adaptive stream on', values: measured.map((n) => med(n, true, 'downKbps')) },
          { name: 'adaptive stream off', values: measured.map((n) => med(n, false, 'downKbps')) },
        ],
        log: true,
      }),
      'room-scale-cpu.svg': barChart({
        title: 'CPU by room size, adaptive stream on (cores; 2 = saturated)',
        unit: 'cores',
        categories: cats,
        groups: [
          { name: 'subscriber (Chromium)', values: measured.map((n) => med(n, true, 'subscriberCpu')) },
          { name: 'livekit-server', values: measured.map((n) => med(n, true, 'sfuCpu')) },
          { name: 'publishers', values: measured.map((n) => med(n, true, 'publisherCpu')) },
          { name: 'whole machine', values: measured.map((n) => med(n, true, 'machineCpu')) },
        ],
        references: [{ value: cores, label: `${cores} cores` }],
      }),
    };
    writeResult(result, o.out, charts);
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await publishers.close();
    await harness.close();
    await (stack ?? (await stackP.catch(() => undefined)))?.close();
  }
}

if (isMain(import.meta.url)) {
  // --sizes 2,4,8: the room sizes to measure instead of the default ladder.
  runMain(
    async (o, extra) => {
      const sizes = typeof extra.sizes === 'string' ? extra.sizes.split(',').map(Number) : undefined;
      if (sizes?.some((n) => !Number.isInteger(n) || n < 1))
        throw new Error(`--sizes takes whole numbers, comma-separated (got ${extra.sizes})`);
      printResult(await runRoomScaleBench({ ...o, ...(sizes ? { sizes } : {}) }));
    },
    { sizes: { type: 'string' } },
  );
}
