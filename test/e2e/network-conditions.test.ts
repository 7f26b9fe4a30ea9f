// Calls through networks that fight back, in real Chromium, each "computer" in a network namespace
// of the test's own making (test/support/netlab.ts) and the team server with its embedded SFU and
// TURN on a bridge they share: a firewall that drops UDP, a client forced to relay, a home router's
// NAT, random packet loss (nftables numgen), a thin downlink (tc tbf). One server for all of it.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { chromiumArgs } from '@scripts/chromium.mjs';
import { freeUdpPort } from '@server/lib/free-port';
import { createNetlab, type Computer, type Netlab } from '../support/netlab';
import { startStack, type TestStack } from '../support/stack';
import { anonymous, setupAdmin } from '../support/team-api';
import { decodingVideos, guestAsks, shoot, tile } from './meeting-support';

let lab: Netlab;
let stack: TestStack;
let pin: string;
const links: Record<string, string> = {};
const browsers: Browser[] = [];
let watcher: Computer;
let watcherBrowser: Browser;

interface PairEnd {
  candidateType: string;
  protocol: string;
  relayProtocol?: string;
  address: string;
}
interface SelectedPair {
  local: PairEnd;
  remote: PairEnd;
  bytesReceived: number;
}

/** The selected ICE candidate pair of every peer connection the page made, as getStats tells it. */
async function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const out: SelectedPair[] = [];
    const pcs = (window as unknown as { __parleyPeerConnections?: RTCPeerConnection[] }).__parleyPeerConnections ?? [];
    for (const pc of pcs) {
      const byId = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
      for (const s of byId.values()) {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
        const pair = byId.get(s.selectedCandidatePairId as string);
        const l = pair && byId.get(pair.localCandidateId as string);
        const r = pair && byId.get(pair.remoteCandidateId as string);
        if (!pair || !l || !r || pair.state !== 'succeeded') continue;
        const end = (c: Record<string, unknown>): PairEnd => ({
          candidateType: String(c.candidateType),
          protocol: String(c.protocol),
          ...(c.relayProtocol ? { relayProtocol: String(c.relayProtocol) } : {}),
          address: String(c.address ?? c.ip),
        });
        out.push({ local: end(l), remote: end(r), bytesReceived: Number(pair.bytesReceived ?? 0) });
      }
    }
    return out;
  });
}

/** The pair media arrives on: the connection that received the most. */
async function mediaPair(page: Page): Promise<SelectedPair | undefined> {
  return (await selectedPairs(page)).sort((a, b) => b.bytesReceived - a.bytesReceived)[0];
}

async function launchIn(computer: Computer, extra: string[] = []): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: computer.wrap(inject('chromiumPath')),
    args: [
      ...(chromiumArgs as string[]),
      // The team server is reached over plain http on the test network; the page stays a secure
      // context as it is on https in real use.
      `--unsafely-treat-insecure-origin-as-secure=${stack.url}`,
      // TURN/TLS's certificate was made at first run; this browser trusts that one certificate.
      `--ignore-certificate-errors-spki-list=${pin}`,
      ...extra,
    ],
    headless: true,
  });
  browsers.push(browser);
  return browser;
}

async function join(browser: Browser, room: string, name: string, init?: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  (open[room] ??= []).push(page);
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[page ${name}] ${m.text().slice(0, 300)}`);
  });
  page.on('requestfailed', (r) => console.log(`[page ${name}] failed ${r.url()} ${r.failure()?.errorText}`));
  if (init) await page.addInitScript(init);
  await guestAsks(page, links[room]!, name);
  try {
    await page.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 90_000 });
  } catch (err) {
    const seen = await page.evaluate(() => document.body.innerText.slice(0, 400)).catch(() => '(no page)');
    throw new Error(`${name} did not get into ${room}; the page shows: ${seen}`, { cause: err });
  }
  return page;
}

const open: Record<string, Page[]> = {};
/** Everyone leaves `room`: the 2-core machine has the next scenario to run. */
async function leave(room: string): Promise<void> {
  for (const page of open[room] ?? [])
    await page
      .context()
      .close()
      .catch(() => undefined);
  open[room] = [];
}

const quality = (page: Page, name: string) => tile(page, name).locator('[data-quality]').getAttribute('data-quality');
const note = async (page: Page, name: string) => {
  const n = tile(page, name).getByTestId('quality-note');
  return (await n.count()) ? n.textContent() : null;
};

interface AudioIn {
  packetsReceived: number;
  concealedSamples: number;
  totalSamplesReceived: number;
}
async function audioIn(page: Page): Promise<AudioIn> {
  return page.evaluate(async () => {
    const sum = { packetsReceived: 0, concealedSamples: 0, totalSamplesReceived: 0 };
    for (const pc of (window as unknown as { __parleyPeerConnections?: RTCPeerConnection[] }).__parleyPeerConnections ?? []) {
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
        sum.packetsReceived += Number(s.packetsReceived ?? 0);
        sum.concealedSamples += Number(s.concealedSamples ?? 0);
        sum.totalSamplesReceived += Number(s.totalSamplesReceived ?? 0);
      });
    }
    return sum;
  });
}

beforeAll(async () => {
  lab = createNetlab();
  const addr = lab.serverAddress;
  stack = await startStack({
    host: addr,
    sfuHost: addr,
    sfuNodeIp: addr,
    // LiveKit advertises TURN/TLS on 443 whatever it listens on; the test runs as root (as CI does).
    turn: { domain: addr, tlsPort: 443, udpPort: await freeUdpPort(addr) },
  });
  const turn = stack.sfu?.turn;
  if (turn?.kind !== 'embedded' || !turn.tlsPort || !turn.udpPort)
    throw new Error(`expected the built-in TURN on by default, got ${JSON.stringify(turn)}`);
  const cert = new X509Certificate(readFileSync(turn.certFile));
  pin = createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  const admin = await setupAdmin(stack);
  const api = anonymous(stack);
  api.setToken(admin.token);
  for (const room of ['paths', 'lossy', 'thin']) {
    await api.createRoom({ name: room, title: room, options: { allowGuests: true, lobby: false } });
    links[room] = (await api.createGuestLink(room)).url;
  }
  watcher = lab.addComputer('watcher');
  watcherBrowser = await launchIn(watcher);
}, 120_000);

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await stack?.teardown();
  lab?.remove();
});

describe('calls through networks that fight back', () => {
  it('a client whose network drops all UDP joins over TCP (ICE-TCP or TURN/TLS) and decodes the others', async () => {
    const host = await join(watcherBrowser, 'paths', 'Watcher');
    const blocked = lab.addComputer('udp-blocked');
    blocked.dropUdp();
    const page = await join(await launchIn(blocked), 'paths', 'Firewalled');
    await expect.poll(() => decodingVideos(page, 10), { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    const pair = await mediaPair(page);
    // A TURN relay reached over TLS (the relayed leg itself is UDP, on the server), or ICE-TCP
    // straight to the SFU.
    if (pair?.local.candidateType === 'relay') expect(pair.local.relayProtocol).toBe('tls');
    else expect(pair?.local).toMatchObject({ candidateType: 'host', protocol: 'tcp' });
    // And the others see them.
    await expect.poll(() => decodingVideos(host, 10), { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    console.log(`[network] UDP blocked: selected pair ${JSON.stringify(pair)}`);
  }, 240_000);

  it('a client forced to relay decodes the others through TURN', async () => {
    const relayed = lab.addComputer('relay');
    // iceTransportPolicy 'relay' on every connection, also when livekit-client sets the
    // configuration again after the join response.
    const force = `(() => {
      const Native = window.RTCPeerConnection;
      const relay = (config) => ({ ...(config ?? {}), iceTransportPolicy: 'relay' });
      const setConfiguration = Native.prototype.setConfiguration;
      Native.prototype.setConfiguration = function (config) { return setConfiguration.call(this, relay(config)); };
      const Forced = function (config, ...rest) { return new Native(relay(config), ...rest); };
      Forced.prototype = Native.prototype;
      Object.setPrototypeOf(Forced, Native);
      window.RTCPeerConnection = Forced;
    })();`;
    const page = await join(await launchIn(relayed), 'paths', 'Relayed', force);
    await expect.poll(() => decodingVideos(page, 10), { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    const pair = await mediaPair(page);
    expect(pair?.local.candidateType).toBe('relay');
    console.log(`[network] forced relay: selected pair ${JSON.stringify(pair)}`);
  }, 240_000);

  it('a client behind a home router’s NAT connects through the address the router gives it', async () => {
    const home = lab.addComputer('nat', { behindNat: true });
    const page = await join(await launchIn(home), 'paths', 'AtHome');
    await expect.poll(() => decodingVideos(page, 10), { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(3);
    const pair = await mediaPair(page);
    const gathered = await page.evaluate(async () => {
      const types: string[] = [];
      for (const pc of (window as unknown as { __parleyPeerConnections?: RTCPeerConnection[] }).__parleyPeerConnections ?? [])
        (await pc.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type === 'local-candidate') types.push(`${String(s.candidateType)} ${String(s.address)}`);
        });
      return types;
    });
    console.log(`[network] behind NAT: selected pair ${JSON.stringify(pair)}; gathered ${gathered.join(', ')}`);
    // The router's outside address, learnt from the SFU's TURN (which answers as STUN too).
    expect(gathered).toContain(`srflx ${home.address}`);
    // Media flows from the address the router maps this computer to (server- or peer-reflexive),
    // or through the relay; never from its private address, which the server cannot reach.
    expect(['srflx', 'prflx', 'relay']).toContain(pair?.local.candidateType);
    if (pair?.local.candidateType !== 'relay') expect(pair?.local.address).toBe(home.address);
    await leave('paths');
  }, 240_000);

  it('packet loss on one person’s link: fair at 5%, poor at 15%, in words on their tile and to them, audio keeps playing; good again after', async () => {
    const lossy = lab.addComputer('lossy');
    const other = await join(watcherBrowser, 'lossy', 'Watcher');
    const page = await join(await launchIn(lossy), 'lossy', 'Lossy');
    await expect.poll(() => decodingVideos(other, 10), { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => quality(other, 'Lossy'), { timeout: 30_000 }).toBe('good');
    await expect.poll(() => quality(page, 'Lossy'), { timeout: 30_000 }).toBe('good');

    const within10s = { timeout: 10_000, interval: 250 };
    let t0 = Date.now();
    lossy.setLoss(5);
    await expect.poll(() => quality(page, 'Lossy'), within10s).toBe('fair');
    await expect.poll(() => quality(other, 'Lossy'), within10s).toBe('fair');
    console.log(`[network] 5% loss: fair on both after ${Date.now() - t0} ms`);
    expect(await note(other, 'Lossy')).toBe("Lossy (guest)'s connection is unstable");
    await expect
      .poll(() => page.getByTestId('own-connection').textContent(), within10s)
      .toBe('Your connection is unstable — video may be blurry');
    await shoot(other, 'quality-other-fair.png');
    await shoot(page, 'quality-own-fair.png');

    t0 = Date.now();
    lossy.setLoss(15);
    const before = await audioIn(other);
    await expect.poll(() => quality(page, 'Lossy'), within10s).toBe('poor');
    await expect.poll(() => quality(other, 'Lossy'), within10s).toBe('poor');
    console.log(`[network] 15% loss: poor on both after ${Date.now() - t0} ms`);
    await expect.poll(() => note(other, 'Lossy'), within10s).toBe("Lossy (guest)'s connection is poor");
    await expect
      .poll(() => page.getByTestId('own-connection').textContent(), within10s)
      .toBe('Your connection is losing packets — video paused to keep audio');
    await shoot(other, 'quality-other-poor.png');
    await shoot(page, 'quality-own-poor.png');
    // Their audio keeps playing for the other: packets keep arriving, and most of what plays is heard, not concealed.
    await expect
      .poll(async () => (await audioIn(other)).packetsReceived - before.packetsReceived, { timeout: 20_000 })
      .toBeGreaterThan(100);
    const after = await audioIn(other);
    const concealed =
      (after.concealedSamples - before.concealedSamples) / Math.max(1, after.totalSamplesReceived - before.totalSamplesReceived);
    console.log(
      `[network] 15% loss: ${after.packetsReceived - before.packetsReceived} audio packets, ${(concealed * 100).toFixed(1)}% concealed`,
    );
    expect(concealed).toBeLessThan(0.5);

    t0 = Date.now();
    lossy.setLoss(0);
    await expect.poll(() => quality(page, 'Lossy'), within10s).toBe('good');
    await expect.poll(() => quality(other, 'Lossy'), within10s).toBe('good');
    console.log(`[network] loss lifted: good on both after ${Date.now() - t0} ms`);
    expect(await note(other, 'Lossy')).toBeNull();
    // Video comes back once the link has been fine for a while.
    await expect.poll(() => page.getByTestId('own-connection').count(), { timeout: 20_000 }).toBe(0);
    const frames = await decodingVideos(page, 1);
    expect(frames).toBeGreaterThanOrEqual(1);
    await leave('lossy');
  }, 240_000);

  it('a 300 kbit/s downlink steps down to the lowest layer, shown in the stats panel, and recovers', async () => {
    const thin = lab.addComputer('thin');
    await join(watcherBrowser, 'thin', 'Watcher');
    const page = await join(await launchIn(thin), 'thin', 'Thin');
    await page.getByRole('button', { name: 'More options' }).click();
    await page.getByRole('menuitem', { name: 'Show connection stats' }).click();
    const layer = page.getByTestId('layer').first();
    await expect.poll(() => layer.textContent(), { timeout: 60_000 }).toMatch(/^(High|Medium)/);
    const t0 = Date.now();
    thin.setDownlinkCap(300);
    await expect.poll(() => layer.textContent(), { timeout: 60_000, interval: 500 }).toMatch(/^Low · \d+×\d+/);
    console.log(`[network] 300 kbit/s cap: ${await layer.textContent()} after ${Date.now() - t0} ms`);
    await shoot(page, 'stats-thin-link.png');
    const t1 = Date.now();
    thin.setDownlinkCap(0);
    await expect.poll(() => layer.textContent(), { timeout: 90_000, interval: 500 }).toMatch(/^(High|Medium)/);
    console.log(`[network] cap lifted: ${await layer.textContent()} after ${Date.now() - t1} ms`);
  }, 300_000);
});
