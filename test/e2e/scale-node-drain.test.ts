import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeTcpPort } from '@server/lib/free-port';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startLivekitCluster, type ClusterNode, type LivekitCluster } from '../support/cluster/livekit-cluster';
import { startRedis, type TestRedis } from '../support/cluster/redis';
import { NodeParticipant, TrackKind } from '../support/node-participant';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin, type SignedIn } from '../support/team-api';
import { decodingVideos, joinFromHome, shoot, signIn, tile } from './meeting-support';

/** The SFU node a page's room signals through: the last LiveKit websocket it opened. */
function watchSignal(page: Page): { last(): string | undefined; opened(prefix: string): Promise<void> } {
  const urls: string[] = [];
  const waiters: { prefix: string; resolve: () => void }[] = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/rtc')) return;
    urls.push(ws.url());
    for (const w of waiters.splice(0))
      if (ws.url().startsWith(w.prefix)) w.resolve();
      else waiters.push(w);
  });
  return {
    last: () => urls.at(-1),
    opened: (prefix) => new Promise((resolve) => waiters.push({ prefix, resolve })),
  };
}

/** Video frames decoded on the page's live peer connections (those of a dropped room are closed). */
const liveFramesDecoded = (page: Page) =>
  page.evaluate(async () => {
    let frames = 0;
    for (const pc of (window as unknown as { __parleyPeerConnections?: RTCPeerConnection[] }).__parleyPeerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded ?? 0;
      });
    }
    return frames;
  });

interface Devices {
  audioinput?: string;
  videoinput?: string;
}
/** The devices the call captures from (the web client's test hook). */
const devices = (page: Page): Promise<Devices | undefined> =>
  page.evaluate(() => (window as unknown as { __parleyTest?: { devices(): Devices } }).__parleyTest?.devices());

// Two livekit-server nodes on one Redis, the team server handing joins out over both
// (LIVEKIT_NODE_URLS), Bob in the real web client on one node. That node is drained (SIGTERM) and
// then killed, as an operator's rolling restart or a failed machine does: the web client must come
// back on the other node by itself, camera on and microphone muted as Bob left them.
describe('a drained and stopped LiveKit node: its people rejoin on the other node by themselves', () => {
  let redis: TestRedis;
  let cluster: LivekitCluster;
  let stack: TestStack;
  let browser: TestBrowser;
  let admin: SignedIn;
  let mediaDir: string;
  let ada = new NodeParticipant();

  beforeAll(async () => {
    // Bob's camera and microphone are files: a solid red picture and a steady tone, so what Ada
    // decodes can be told apart from black or silence.
    mediaDir = mkdtempSync(join(tmpdir(), 'parley-drain-media-'));
    const y4m = join(mediaDir, 'red.y4m');
    const wav = join(mediaDir, 'tone.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0xdc2828:s=320x240:r=15', '-t', '2', '-pix_fmt', 'yuv420p', y4m]);
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '5', '-ac', '1', wav]);
    redis = await startRedis();
    const port = await freeTcpPort();
    cluster = await startLivekitCluster({
      binary: inject('livekitBinary'),
      redisPort: redis.port,
      nodes: 2,
      webhookUrls: [`http://127.0.0.1:${port}/livekit/webhook`],
    });
    stack = await startStack({
      port,
      livekit: { url: cluster.nodes[0]!.url, ...cluster.keys },
      livekitNodeUrls: cluster.nodes.map((n) => n.url),
    });
    browser = await launchBrowser([`--use-file-for-fake-video-capture=${y4m}`, `--use-file-for-fake-audio-capture=${wav}`]);
    admin = await setupAdmin(stack, 'ada');
    await addUser(stack, admin, 'bob');
    // Direct (peer-to-peer) calls would carry the media around the SFU: this test is about the SFU.
    await admin.api.createRoom({ name: 'ops', title: 'Ops', options: { directCalls: false } });
  }, 240_000);
  afterAll(async () => {
    await ada.disconnect().catch(() => undefined);
    await browser?.close();
    await stack?.teardown();
    await cluster?.stop();
    await redis?.stop();
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  }, 60_000);

  /** Ada (a LiveKit client in Node) joins through the team server and publishes a blue picture. */
  async function adaJoins(): Promise<void> {
    ada = new NodeParticipant();
    const a = await admin.api.joinRoom('ops');
    await ada.connect(a.url, a.token);
    await ada.publishSynthetic({ r: 40, g: 40, b: 200 });
  }

  /** Bob's participant as Ada's room sees it (his identity may change with a new join). */
  async function bobAtAda(): Promise<string> {
    await expect.poll(() => [...ada.room.remoteParticipants.values()].some((p) => p.name === 'Bob'), { timeout: 60_000 }).toBe(true);
    return [...ada.room.remoteParticipants.values()].find((p) => p.name === 'Bob')!.identity;
  }

  it('Bob is back on the other node within 10 s, camera on and microphone muted as before, and Ada sees him again', async () => {
    const bob = await browser.newPage();
    const signal = watchSignal(bob);
    await signIn(bob, stack.url, 'bob', admin.password);
    await joinFromHome(bob, 'Ops');
    // Muting once the microphone is out (publishing runs on after the meeting shows).
    await expect.poll(() => tile(bob, 'Bob').getAttribute('data-muted'), { timeout: 60_000 }).toBe('false');
    await bob.getByRole('button', { name: 'Mute microphone' }).click();
    await bob.getByRole('button', { name: 'Unmute microphone' }).waitFor();
    const before = await devices(bob);
    expect(before?.videoinput).toBeTruthy();

    const home = cluster.nodes.find((n) => signal.last()?.startsWith(n.url));
    const other = cluster.nodes.find((n) => n !== home) as ClusterNode;
    expect(home, `Bob's signal went to ${signal.last()}`).toBeDefined();

    await adaJoins();
    const red = await ada.firstVideoFrame(await ada.remoteTrack(await bobAtAda(), TrackKind.KIND_VIDEO));
    expect(red.average.r).toBeGreaterThan(150);
    await expect.poll(() => decodingVideos(bob, 5), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);

    // The drain: livekit-server stops taking rooms and waits for its participants to leave. It
    // says so in its log; then the node is killed, as when its machine is taken down.
    home!.drain();
    await expect.poll(() => home!.process.log().some((l) => l.includes('exit requested')), { timeout: 30_000 }).toBe(true);
    const back = signal.opened(other.url);
    const killedAt = Date.now();
    await home!.kill();

    await back;
    await bob.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 30_000 });
    const rejoinMs = Date.now() - killedAt;
    expect(rejoinMs, `rejoined ${rejoinMs} ms after the kill`).toBeLessThan(10_000);
    console.info(`[node-drain] Bob rejoined on the other node ${rejoinMs} ms after the kill`);

    // As Bob left them: camera on, microphone muted, the same devices.
    await bob.getByRole('button', { name: 'Unmute microphone' }).waitFor();
    await bob.getByRole('button', { name: 'Turn camera off' }).waitFor();
    await expect.poll(async () => (await devices(bob))?.videoinput, { timeout: 30_000 }).toBe(before!.videoinput);
    await shoot(bob, 'node-drain-rejoined.png');

    // Ada's room was on the node that went too: she joins again (the team server hands out the
    // node that is left) and sees Bob's red camera, then hears his microphone once he unmutes.
    await ada.disconnect().catch(() => undefined);
    await adaJoins();
    const bobId = await bobAtAda();
    const again = await ada.firstVideoFrame(await ada.remoteTrack(bobId, TrackKind.KIND_VIDEO));
    expect(again.average.r).toBeGreaterThan(150);
    expect(again.average.b).toBeLessThan(90);
    console.info(`[node-drain] Ada decoded Bob's camera again ${Date.now() - killedAt} ms after the kill`);
    await bob.getByRole('button', { name: 'Unmute microphone' }).click();
    // The microphone it starts is the one of before.
    await expect.poll(() => devices(bob), { timeout: 30_000 }).toEqual(before);
    expect(await ada.audioPeak(await ada.remoteTrack(bobId, TrackKind.KIND_AUDIO))).toBeGreaterThan(1000);
    // And Bob decodes Ada.
    await expect.poll(() => liveFramesDecoded(bob), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(5);
  }, 240_000);
});
