// Figure 2 — Glass-to-glass latency: the sender draws a millisecond clock into a canvas it captures
// and publishes; the receiver reads the clock back from every decoded frame. The same canvas track
// goes, at the same time, through the SFU (LiveKit publish/subscribe) and over a direct
// RTCPeerConnection between the two pages — so every window measures both paths under the same load,
// and the ratio SFU / P2P is the figure (the floor is P2P).
//
//   npx tsx bench/latency.ts [--runs N] [--smoke]
//
// Both paths: VP8, one 640x360 layer at 30 fps (no simulcast), so only the path differs.
import { isMain, logger, runMain, sleep, type BenchOptions } from './lib/cli';
import { launchBenchBrowser, openHarness } from './lib/browser';
import { serveHarness } from './lib/harness';
import { finishMachineInfo, machineInfo, versionOf } from './lib/machine';
import { printResult, series, writeResult, type FigureResult } from './lib/report';
import { benchSession, startBenchStack } from './lib/stack';
import { median, p95, ratio } from './lib/stats';
import { stripChart } from './lib/svg';

export async function runLatencyBench(o: BenchOptions): Promise<FigureResult> {
  const log = logger(o);
  const windows = o.runs ?? (o.smoke ? 2 : 20);
  const windowMs = o.smoke ? 1000 : 3000;
  const warmupMs = o.smoke ? 1500 : 5000;
  const machine = machineInfo();
  const t0 = Date.now();
  const stack = await startBenchStack();
  const harness = await serveHarness();
  const browser = await launchBenchBrowser();
  try {
    machine.livekitServer = versionOf(stack.livekitBinary);
    machine.chromium = browser.version;
    const session = await benchSession(stack);
    const room = 'bench-latency';
    const a = await session.join(room, 'Sender');
    const b = await session.join(room, 'Receiver');
    const sender = await browser.newPage();
    const receiver = await browser.newPage();
    await openHarness(sender, harness.url);
    await openHarness(receiver, harness.url);

    await sender.evaluate(() => window.bench.stampTrack(640, 360, 30));
    await receiver.evaluate((g) => window.bench.lkConnect(g.url, g.token, { adaptiveStream: false, stamps: 'sfu' }), b);
    await sender.evaluate((g) => window.bench.lkConnect(g.url, g.token, { adaptiveStream: false }), a);
    await sender.evaluate(() => window.bench.lkPublishStamp({ simulcast: false, codec: 'vp8' }));
    const offer = await sender.evaluate(() => window.bench.p2pOffer());
    const answer = await receiver.evaluate((sdp) => window.bench.p2pAnswer(sdp, 'p2p'), offer.sdp);
    await sender.evaluate((sdp) => window.bench.p2pAccept(sdp), answer);
    await receiver.evaluate(() => Promise.all([window.bench.firstFrame('sfu'), window.bench.firstFrame('p2p')]));
    log('both paths deliver frames; warming up');
    await sleep(warmupMs);
    await receiver.evaluate(() => window.bench.takeSamples());

    const sfuAll: number[] = [];
    const p2pAll: number[] = [];
    const sfuRuns: number[] = [];
    const p2pRuns: number[] = [];
    const ratioRuns: number[] = [];
    for (let i = 0; i < windows; i++) {
      await sleep(windowMs);
      const s = await receiver.evaluate(() => window.bench.takeSamples());
      const sfu = s.sfu ?? [];
      const p2p = s.p2p ?? [];
      sfuAll.push(...sfu);
      p2pAll.push(...p2p);
      sfuRuns.push(median(sfu));
      p2pRuns.push(median(p2p));
      ratioRuns.push(ratio(median(sfu), median(p2p)));
      log(
        `window ${i + 1}/${windows}: SFU ${median(sfu).toFixed(1)} ms (${sfu.length} frames), P2P ${median(p2p).toFixed(1)} ms (${p2p.length} frames)`,
      );
    }

    const rejected = await receiver.evaluate(() => window.bench.rejectedFrames());
    const seconds = (windows * windowMs) / 1000;
    const value = median(sfuAll);
    const floor = median(p2pAll);
    const r = ratio(value, floor);
    const result: FigureResult = {
      id: 'latency',
      number: 2,
      title: 'Glass-to-glass latency',
      command: `npx tsx bench/latency.ts${o.smoke ? ' --smoke' : ''}${o.runs ? ` --runs ${o.runs}` : ''}`,
      smoke: o.smoke,
      startedAt: new Date(t0).toISOString(),
      durationS: (Date.now() - t0) / 1000,
      machine: finishMachineInfo(machine),
      headline: [
        {
          figure: 'glass-to-glass, through the SFU (median frame)',
          value,
          unit: 'ms',
          floor,
          ratio: r,
          target: '<= 1.3x direct P2P',
          met: Number.isFinite(r) ? r <= 1.3 : null,
        },
        {
          figure: 'p95 frame, through the SFU',
          value: p95(sfuAll),
          unit: 'ms',
          floor: p95(p2pAll),
          ratio: ratio(p95(sfuAll), p95(p2pAll)),
          target: '(reported)',
          met: null,
        },
      ],
      series: [
        series('SFU, median per window', 'ms', sfuRuns),
        series('direct P2P, median per window', 'ms', p2pRuns),
        series('SFU / P2P per window', 'x', ratioRuns),
        series('SFU, every frame', 'ms', sfuAll),
        series('direct P2P, every frame', 'ms', p2pAll),
      ],
      tables: [],
      notes: [
        `${windows} windows of ${windowMs / 1000} s after a ${warmupMs / 1000} s warm-up; ${sfuAll.length} SFU frames and ${p2pAll.length} P2P frames decoded and read (${(sfuAll.length / seconds).toFixed(1)} vs ${(p2pAll.length / seconds).toFixed(1)} distinct frames/s); ${rejected} decoded frames had an unreadable stamp.`,
        'Sender and receiver are two pages of one headless Chromium (fake media flags); latency = receive clock when the decoded frame reaches a MediaStreamTrackProcessor minus the clock drawn into the canvas. It includes canvas capture, encode, pacing, network (loopback), jitter buffer and decode; not display (headless has no vsync).',
      ],
      charts: [],
    };
    const charts = {
      'latency.svg': stripChart({
        title: 'Glass-to-glass latency per window (median of its frames)',
        unit: 'ms',
        series: [
          { name: 'direct P2P (floor)', values: p2pRuns },
          { name: 'through the SFU', values: sfuRuns },
        ],
        references: [{ value: floor * 1.3, label: 'target: 1.3x P2P' }],
      }),
    };
    writeResult(result, o.out, charts);
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await harness.close();
    await stack.close();
  }
}

if (isMain(import.meta.url)) {
  runMain(async (o) => printResult(await runLatencyBench(o)));
}
