// Figure 6 — A guest's first load on a slow link: from opening a guest link in a fresh browser to the
// first remote video frame shown, with the browser on a 5 Mbit/s link (a network namespace behind a
// tc token bucket, test/support/lan.ts), and the bytes that crossed the link until then.
// The floor, in the same run and interleaved run by run: the bare livekit-client page (bench/bare:
// fetch a grant, connect, publish camera and microphone with Parley's settings, plain <video>),
// served minified and precompressed over the same link.
//
//   npx tsx bench/guest-load.ts [--runs N] [--smoke]
//
// Needs root (ip netns, tc), as CI has. The remote participant is a harness page on this machine
// publishing a 720p simulcast camera; the team server and the SFU listen on the link's address.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
// @ts-expect-error plain ESM script without types
import { findChromium } from '@scripts/chromium.mjs';
import { isMain, logger, runMain, type BenchOptions } from './lib/cli';
import { launchBenchBrowser, openHarness, type BenchBrowser } from './lib/browser';
import { buildBarePage, buildWebClient, serveDir, serveHarness } from './lib/harness';
import { joinProbeScript, type JoinProbe } from './lib/join-probe';
import { finishMachineInfo, machineInfo, versionOf } from './lib/machine';
import { printResult, series, writeResult, type FigureResult } from './lib/report';
import { createLan } from '@test/support/lan';
import { benchSession, startBenchStack } from './lib/stack';
import { median, ratio } from './lib/stats';
import { barChart, stripChart } from './lib/svg';

const ROOM = 'bench-guest';
const RATE_KBIT = 5000;
const BYTES_TARGET = 400_000;
/** The probe armed from the first script: every timestamp counts from navigation start. */
const probeFromStart = `${joinProbeScript}\nwindow.__joinProbe.armed = true;`;

/** HTTP resource types as DevTools names them, grouped as the bytes table shows them. */
const HTTP_KINDS = ['Document', 'Script', 'Stylesheet', 'Fetch/XHR', 'Font', 'Image', 'Other'] as const;
type HttpKind = (typeof HTTP_KINDS)[number];
const kindOf = (cdpType: string | undefined): HttpKind =>
  cdpType === 'Fetch' || cdpType === 'XHR'
    ? 'Fetch/XHR'
    : (HTTP_KINDS as readonly string[]).includes(cdpType ?? '')
      ? (cdpType as HttpKind)
      : 'Other';

interface Load {
  /** Navigation start to the first remote frame shown (ms); the phases below count from navigation too. */
  shown: number;
  /** Parley only: "Ask to join" clicked (the page, the meeting chunk and the pre-join were there). */
  click: number;
  /** LiveKit's signalling WebSocket created (the page is loaded, the grant fetched, the join starts). */
  signal: number;
  /** The peer connection the remote video came on reached 'connected' (ICE + DTLS). */
  connected: number;
  /** The first remote frame decoded. */
  decoded: number;
  /** Bytes sent over the link to the browser's computer, all traffic (HTTP, signalling, media, headers). */
  linkBytes: number;
  /** Of which HTTP responses (headers and bodies as they crossed the wire, before decompression). */
  httpBytes: number;
  httpByKind: Record<HttpKind, number>;
  /** The largest HTTP responses: path, bytes, Content-Encoding. */
  largest: [string, number, string][];
  /** WebRTC transport bytes received (SRTP media, RTCP, DTLS, STUN payloads; without UDP/IP headers). */
  rtcBytes: number;
}

declare global {
  interface Window {
    __joinProbe: JoinProbe;
    __joinProbePcs?: RTCPeerConnection[];
  }
}

async function measure(page: Page, bytesToOther: () => number, go: () => Promise<void>, timeoutMs: number): Promise<Load> {
  const cdp = await page.context().newCDPSession(page);
  const responses = new Map<string, { url: string; kind: HttpKind; encoding: string }>();
  const finished: { url: string; kind: HttpKind; encoding: string; bytes: number }[] = [];
  type Received = { requestId: string; type?: string; response: { url: string; headers: Record<string, string> } };
  cdp.on('Network.responseReceived', (e: Received) => {
    const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity';
    responses.set(e.requestId, { url: e.response.url, kind: kindOf(e.type), encoding });
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    const r = responses.get(e.requestId) ?? { url: '?', kind: 'Other' as const, encoding: '?' };
    finished.push({ ...r, bytes: e.encodedDataLength });
  });
  await cdp.send('Network.enable');
  const before = bytesToOther();
  await go();
  try {
    await page.waitForFunction(() => window.__joinProbe.shown !== undefined, undefined, { timeout: timeoutMs, polling: 20 });
  } catch (err) {
    const state = await page
      .evaluate(() => ({ title: document.title, probe: window.__joinProbe, videos: document.querySelectorAll('video').length }))
      .catch(() => null);
    throw new Error(`no remote frame shown in ${timeoutMs} ms (${JSON.stringify(state)})`, { cause: err });
  }
  const linkBytes = bytesToOther() - before;
  const httpDone = [...finished];
  // The decoded mark (a reader on a clone of the track) can resolve just after the frame is shown.
  await page.waitForFunction(() => window.__joinProbe.firstFrame !== undefined, undefined, { timeout: timeoutMs, polling: 20 });
  const { probe, rtcBytes } = await page.evaluate(async () => {
    let bytes = 0;
    for (const pc of window.__joinProbePcs ?? [])
      (await pc.getStats()).forEach((s: { type: string; bytesReceived?: number }) => {
        if (s.type === 'transport') bytes += s.bytesReceived ?? 0;
      });
    return { probe: window.__joinProbe, rtcBytes: bytes };
  });
  await cdp.detach().catch(() => undefined);
  const httpByKind = Object.fromEntries(HTTP_KINDS.map((k) => [k, 0])) as Record<HttpKind, number>;
  for (const f of httpDone) httpByKind[f.kind] += f.bytes;
  const at = (v: number | null | undefined): number => v ?? Number.NaN;
  return {
    shown: probe.shown!,
    click: at(probe.click),
    signal: at(probe.wsCreated),
    connected: at(probe.pcConnected[probe.videoPc ?? 0]),
    decoded: at(probe.firstFrame),
    linkBytes,
    httpBytes: httpDone.reduce((n, f) => n + f.bytes, 0),
    httpByKind,
    largest: httpDone
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 8)
      .map((f) => [new URL(f.url, 'http://x').pathname, f.bytes, f.encoding]),
    rtcBytes,
  };
}

async function parleyGuest(browser: BenchBrowser, link: string, bytesToOther: () => number, timeoutMs: number): Promise<Load> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, initScript: probeFromStart });
  try {
    return await measure(
      page,
      bytesToOther,
      async () => {
        await page.goto(link, { waitUntil: 'commit' });
        // A quick guest: types a name the moment the field is there and asks as soon as it may.
        await page.getByLabel('Your name').fill('Guest', { timeout: timeoutMs });
        await page.getByRole('button', { name: 'Ask to join' }).click({ timeout: timeoutMs });
      },
      timeoutMs,
    );
  } finally {
    await page.context().close();
  }
}

async function barePage(browser: BenchBrowser, url: string, bytesToOther: () => number, timeoutMs: number): Promise<Load> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, initScript: probeFromStart });
  try {
    return await measure(page, bytesToOther, () => page.goto(url, { waitUntil: 'commit' }).then(() => undefined), timeoutMs);
  } finally {
    await page.context().close();
  }
}

export async function runGuestLoadBench(o: BenchOptions): Promise<FigureResult> {
  const log = logger(o);
  const runs = o.runs ?? (o.smoke ? 1 : 6);
  const machine = machineInfo();
  const t0 = Date.now();
  const link = createLan({ rateKbit: RATE_KBIT });
  const cleanup: (() => Promise<void> | void)[] = [() => link.remove()];
  try {
    const web = await buildWebClient();
    cleanup.unshift(() => web.remove());
    const bare = await buildBarePage();
    cleanup.unshift(() => bare.remove());
    const stack = await startBenchStack({ webClientDir: web.dir, host: link.hostAddress });
    cleanup.unshift(() => stack.close());
    machine.livekitServer = versionOf(stack.livekitBinary);
    const session = await benchSession(stack);
    await session.api.createRoom({ name: ROOM, title: 'Bench guests', options: { allowGuests: true, lobby: false } });
    const guestLink = await session.api.createGuestLink(ROOM, { maxUses: 500 });

    // The bare page asks its own origin for a grant, as a minimal app would; minted through the team
    // server's join route (loopback here, so only the browser's request crosses the link).
    const bareServer = await serveDir(bare.dir, {
      host: link.hostAddress,
      handle: (req: IncomingMessage, res: ServerResponse) => {
        if (req.method !== 'POST' || !req.url?.startsWith('/token')) return false;
        session.join(ROOM, 'Bare').then(
          (g) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: g.url, token: g.token })),
          (err: unknown) => res.writeHead(500).end(String(err)),
        );
        return true;
      },
    });
    cleanup.unshift(() => bareServer.close());

    // The remote everyone joins to see: on this machine, not behind the link.
    const harness = await serveHarness();
    cleanup.unshift(() => harness.close());
    const local = await launchBenchBrowser();
    cleanup.unshift(() => local.close());
    machine.chromium = local.version;
    const remote = await local.newPage();
    await openHarness(remote, harness.url);
    await remote.evaluate(() => window.bench.cameraTrack());
    const g = await session.join(ROOM, 'Remote');
    await remote.evaluate((grant) => window.bench.lkConnect(grant.url, grant.token, { adaptiveStream: true }), g);
    await remote.evaluate(() => window.bench.lkPublishCamera());

    // The guest's computer: Chromium inside the namespace, reaching this machine only over the link.
    // Camera and microphone need a secure context: these two plain-http origins are treated as one.
    const guest = await launchBenchBrowser(
      [`--unsafely-treat-insecure-origin-as-secure=${stack.url},${bareServer.url}`],
      link.chromiumInOther(findChromium() as string),
    );
    cleanup.unshift(() => guest.close());

    const timeoutMs = o.smoke ? 30_000 : 60_000;
    // Warm-up of each (the SFU's first subscriber, Chromium's first getUserMedia): not counted.
    await barePage(guest, `${bareServer.url}/index.html`, link.bytesToOther, timeoutMs).catch(() => undefined);
    await parleyGuest(guest, guestLink.url, link.bytesToOther, timeoutMs).catch((err: unknown) =>
      log(`warm-up guest failed (${(err as Error).message.split('\n')[0]})`),
    );

    const parley: Load[] = [];
    const floor: Load[] = [];
    let failures = 0;
    const failedRuns: string[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so a drift in load lands on both.
      const order = i % 2 === 0 ? (['bare', 'parley'] as const) : (['parley', 'bare'] as const);
      for (const which of order) {
        try {
          if (which === 'bare') floor.push(await barePage(guest, `${bareServer.url}/index.html`, link.bytesToOther, timeoutMs));
          else parley.push(await parleyGuest(guest, guestLink.url, link.bytesToOther, timeoutMs));
        } catch (err) {
          failures++;
          failedRuns.push(`run ${i + 1}/${runs} ${which}: failed: ${(err as Error).message.split('\n')[0]}`);
          log(failedRuns.at(-1)!);
        }
      }
      const p = parley.at(-1);
      const b = floor.at(-1);
      if (p && b)
        log(
          `run ${i + 1}/${runs}: Parley ${p.shown.toFixed(0)} ms, ${(p.linkBytes / 1000).toFixed(0)} kB (HTTP ${(p.httpBytes / 1000).toFixed(0)}); bare ${b.shown.toFixed(0)} ms, ${(b.linkBytes / 1000).toFixed(0)} kB (HTTP ${(b.httpBytes / 1000).toFixed(0)})`,
        );
    }

    type NumberKey = 'shown' | 'click' | 'signal' | 'connected' | 'decoded' | 'linkBytes' | 'httpBytes' | 'rtcBytes';
    const col = (l: Load[], k: NumberKey) => l.map((x) => x[k]);
    const kB = (l: Load[], k: NumberKey) => col(l, k).map((b) => b / 1000);
    const med = (l: Load[], f: (x: Load) => number) => median(l.map(f));
    const time = median(col(parley, 'shown'));
    const timeFloor = median(col(floor, 'shown'));
    const kb = median(kB(parley, 'linkBytes'));
    const kbFloor = median(kB(floor, 'linkBytes'));
    const httpKb = median(kB(parley, 'httpBytes'));
    const httpKbFloor = median(kB(floor, 'httpBytes'));
    const timeRatio = ratio(time, timeFloor);
    const kbCell = (l: Load[], f: (x: Load) => number) => Number((med(l, f) / 1000).toFixed(1));
    const msCell = (l: Load[], f: (x: Load) => number) => Math.round(med(l, f));
    const lastParley = parley.at(-1);
    const result: FigureResult = {
      id: 'guest-load',
      number: 6,
      title: 'A guest on a 5 Mbit/s link',
      command: `npx tsx bench/guest-load.ts${o.smoke ? ' --smoke' : ''}${o.runs ? ` --runs ${o.runs}` : ''}`,
      smoke: o.smoke,
      startedAt: new Date(t0).toISOString(),
      durationS: (Date.now() - t0) / 1000,
      machine: finishMachineInfo(machine),
      headline: [
        {
          figure: 'guest link opened to first remote frame shown, 5 Mbit/s',
          value: time,
          unit: 'ms',
          floor: timeFloor,
          ratio: timeRatio,
          target: '<= 1.2x the bare livekit-client page',
          met: Number.isFinite(timeRatio) ? timeRatio <= 1.2 : null,
        },
        {
          figure: 'bytes over the link to the first remote frame (all traffic)',
          value: kb,
          unit: 'kB',
          floor: kbFloor,
          ratio: ratio(kb, kbFloor),
          target: `<= ${BYTES_TARGET / 1000} kB`,
          met: Number.isFinite(kb) ? kb * 1000 <= BYTES_TARGET : null,
        },
        {
          figure: 'of which HTTP (page, scripts, styles, API)',
          value: httpKb,
          unit: 'kB',
          floor: httpKbFloor,
          ratio: ratio(httpKb, httpKbFloor),
          target: '(reported)',
          met: null,
        },
      ],
      series: [
        series('Parley guest: link opened to first frame shown', 'ms', col(parley, 'shown')),
        series('bare page: opened to first frame shown', 'ms', col(floor, 'shown')),
        series('Parley guest: bytes over the link', 'kB', kB(parley, 'linkBytes')),
        series('bare page: bytes over the link', 'kB', kB(floor, 'linkBytes')),
        series('Parley guest: HTTP bytes', 'kB', kB(parley, 'httpBytes')),
        series('bare page: HTTP bytes', 'kB', kB(floor, 'httpBytes')),
      ],
      tables: [
        {
          title: 'What the bytes are (median kB per load, to the first frame shown)',
          columns: ['part', 'Parley guest', 'bare page'],
          rows: [
            ...HTTP_KINDS.map((k) => [`HTTP: ${k}`, kbCell(parley, (x) => x.httpByKind[k]), kbCell(floor, (x) => x.httpByKind[k])]),
            ['WebRTC transport (media, RTCP, DTLS, STUN payloads)', kbCell(parley, (x) => x.rtcBytes), kbCell(floor, (x) => x.rtcBytes)],
            [
              'the rest (signalling WebSocket; TCP, UDP and IP headers; ARP)',
              kbCell(parley, (x) => x.linkBytes - x.httpBytes - x.rtcBytes),
              kbCell(floor, (x) => x.linkBytes - x.httpBytes - x.rtcBytes),
            ],
            ['all traffic over the link', kbCell(parley, (x) => x.linkBytes), kbCell(floor, (x) => x.linkBytes)],
          ],
        },
        {
          title: 'Where the time goes (median ms)',
          columns: ['phase', 'Parley guest', 'bare page'],
          rows: [
            [
              'navigation to "Ask to join" clicked (page, meeting chunk, pre-join with camera; the bench types at once)',
              msCell(parley, (x) => x.click),
              'n/a',
            ],
            [
              'navigation to the join starting (signalling socket opened: page loaded, grant fetched)',
              msCell(parley, (x) => x.signal),
              msCell(floor, (x) => x.signal),
            ],
            [
              'to the peer connection connected (signalling, ICE, DTLS)',
              msCell(parley, (x) => x.connected - x.signal),
              msCell(floor, (x) => x.connected - x.signal),
            ],
            [
              'to the first remote frame decoded',
              msCell(parley, (x) => x.decoded - x.connected),
              msCell(floor, (x) => x.decoded - x.connected),
            ],
            ['to that frame shown', msCell(parley, (x) => x.shown - x.decoded), msCell(floor, (x) => x.shown - x.decoded)],
            ['total', msCell(parley, (x) => x.shown), msCell(floor, (x) => x.shown)],
          ],
        },
        {
          title: 'The largest HTTP responses of the last Parley load (bytes on the wire)',
          columns: ['path', 'kB', 'Content-Encoding'],
          rows: (lastParley?.largest ?? []).map(([path, bytes, encoding]) => [path, Number((bytes / 1000).toFixed(1)), encoding]),
        },
      ],
      notes: [
        `Link: a veth pair into a network namespace with tc tbf at ${RATE_KBIT} kbit/s each way (queue bounded at 200 ms); the guest's Chromium runs inside it, the team server, SFU and bare page's server listen on the link's address. Each run is a fresh browser context (empty cache, no open connections).`,
        'Parley: the guest link in the real web client (first screen, pre-join with camera and microphone, "Ask to join" clicked by the bench as soon as it can; the room has no lobby). Bare: bench/bare, fetch a grant, connect, publish camera and microphone with Parley\'s capture and publish options, plain <video> per remote track; minified and precompressed, served with the same Accept-Encoding rules.',
        "Time: navigation start to the first frame the page's own <video> presents (requestVideoFrameCallback, expectedDisplayTime). Bytes: the link's tx byte counter toward the guest's computer from navigation until the bench saw that frame (everything: HTTP, signalling, media, headers); of which HTTP is the Chrome DevTools Protocol's encodedDataLength of every finished response (headers and compressed bodies), and WebRTC is the peer connections' transport bytesReceived.",
        `${failures} loads failed. Remote: a harness page on this machine publishing a 720p VP8 simulcast camera.`,
      ],
      charts: [],
      failedRuns,
    };
    const charts = {
      'guest-load.svg': stripChart({
        title: `A guest's first load at ${RATE_KBIT / 1000} Mbit/s: every run`,
        unit: 'ms',
        series: [
          { name: 'bare livekit-client page', values: col(floor, 'shown') },
          { name: 'Parley guest link', values: col(parley, 'shown') },
        ],
        references: [{ value: timeFloor * 1.2, label: 'target: 1.2x bare page' }],
      }),
      'guest-load-bytes.svg': barChart({
        title: 'Bytes over the link to the first frame shown (median kB)',
        unit: 'kB',
        categories: ['HTTP', 'WebRTC', 'rest', 'all'],
        groups: (
          [
            ['bare livekit-client page', floor],
            ['Parley guest link', parley],
          ] as const
        ).map(([name, l]) => ({
          name,
          values: [
            med(l, (x) => x.httpBytes) / 1000,
            med(l, (x) => x.rtcBytes) / 1000,
            med(l, (x) => x.linkBytes - x.httpBytes - x.rtcBytes) / 1000,
            med(l, (x) => x.linkBytes) / 1000,
          ],
        })),
        references: [{ value: BYTES_TARGET / 1000, label: `target: ${BYTES_TARGET / 1000} kB` }],
      }),
    };
    writeResult(result, o.out, charts);
    return result;
  } finally {
    for (const c of cleanup) await Promise.resolve(c()).catch(() => undefined);
  }
}

if (isMain(import.meta.url)) {
  runMain(async (o) => printResult(await runGuestLoadBench(o)));
}
