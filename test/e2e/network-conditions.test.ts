// Calls through networks that fight back, in real Chromium, each "computer" in a network namespace
// of the test's own making (test/support/netlab.ts) and the team server with its embedded SFU and
// TURN on a bridge they share: a firewall that drops UDP, a client forced to relay, a home router's
// NAT. One server for all of it.
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
import { decodingVideos, guestAsks } from './meeting-support';

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

/** What the page's connections are doing, for a failure message. */
async function diagnose(page: Page): Promise<string> {
  return page
    .evaluate(async () => {
      const lines: string[] = [];
      for (const pc of (window as unknown as { __parleyPeerConnections?: RTCPeerConnection[] }).__parleyPeerConnections ?? []) {
        const rtp: string[] = [];
        (await pc.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type === 'inbound-rtp' || s.type === 'outbound-rtp')
            rtp.push(
              `${String(s.type)} ${String(s.kind)} bytes=${String(s.bytesReceived ?? s.bytesSent)} frames=${String(s.framesDecoded ?? s.framesEncoded)}`,
            );
          if (s.type === 'candidate-pair' && s.nominated) rtp.push(`pair ${String(s.state)} rx=${String(s.bytesReceived)}`);
        });
        lines.push(`pc ${pc.connectionState}/${pc.iceConnectionState} ${rtp.join('; ')}`);
      }
      return lines.join('\n');
    })
    .catch((err: unknown) => `(no page: ${String(err)})`);
}

/** Waits until `page` decodes `count` videos; says what its connections do when it does not. */
async function decodes(page: Page, count: number, timeout: number): Promise<void> {
  try {
    await expect.poll(() => decodingVideos(page, 10), { timeout, interval: 500 }).toBeGreaterThanOrEqual(count);
  } catch (err) {
    const sfu = (stack.sfu?.recentLog() ?? []).slice(-30).join('\n');
    throw new Error(`expected ${count} decoded videos; the page's connections:\n${await diagnose(page)}\n--- SFU ---\n${sfu}`, {
      cause: err,
    });
  }
}

/** The pair media arrives on: the connection that received the most (waits for ICE to report one). */
async function mediaPair(page: Page): Promise<SelectedPair> {
  let best: SelectedPair | undefined;
  await expect
    .poll(
      async () => {
        best = (await selectedPairs(page)).sort((a, b) => b.bytesReceived - a.bytesReceived)[0];
        return best !== undefined;
      },
      { timeout: 30_000, interval: 500, message: 'no selected candidate pair in getStats' },
    )
    .toBe(true);
  return best!;
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
    // livekit-client says why a connect failed as a warning; the page itself only shows "try again".
    if (m.type() === 'error' || m.type() === 'warning') console.log(`[page ${name}] ${m.text().slice(0, 300)}`);
  });
  page.on('requestfailed', (r) => console.log(`[page ${name}] failed ${r.url()} ${r.failure()?.errorText}`));
  if (init) await page.addInitScript(init);
  await guestAsks(page, links[room]!, name);
  try {
    await page.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 90_000 });
  } catch (err) {
    const seen = await page.evaluate(() => document.body.innerText.slice(0, 400)).catch(() => '(no page)');
    console.log(`[sfu log]\n${(stack.sfu?.recentLog() ?? []).slice(-40).join('\n')}`);
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
  for (const room of ['paths']) {
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
    await decodes(page, 1, 90_000);
    const pair = await mediaPair(page);
    // A TURN relay reached over TLS (the relayed leg itself is UDP, on the server), or ICE-TCP
    // straight to the SFU.
    if (pair.local.candidateType === 'relay') expect(pair.local.relayProtocol).toBe('tls');
    else {
      // ICE-TCP: to the SFU's own TCP candidate (Chromium names its end host, or prflx when it
      // learns it from the SFU's checks).
      expect(pair.local.protocol).toBe('tcp');
      expect(pair.remote).toMatchObject({ candidateType: 'host', protocol: 'tcp', address: lab.serverAddress });
    }
    // And the others see them.
    await decodes(host, 1, 60_000);
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
    await decodes(page, 2, 90_000);
    const pair = await mediaPair(page);
    expect(pair.local.candidateType).toBe('relay');
    console.log(`[network] forced relay: selected pair ${JSON.stringify(pair)}`);
  }, 240_000);

  it('a client behind a home router’s NAT connects through the address the router gives it', async () => {
    const home = lab.addComputer('nat', { behindNat: true });
    const page = await join(await launchIn(home), 'paths', 'AtHome');
    await decodes(page, 3, 90_000);
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
    // Media flows from the address the router maps this computer to (server- or peer-reflexive:
    // Chromium learns it from the SFU's checks as often as from STUN), or through the relay; never
    // from its private address, which the server cannot reach.
    expect(['srflx', 'prflx', 'relay']).toContain(pair.local.candidateType);
    if (pair.local.candidateType !== 'relay') expect(pair.local.address).toBe(home.address);
    await leave('paths');
  }, 240_000);
});
