// End-to-end encryption in real Chromium through the real SFU, both modes:
// - room-key: the key comes from the team server's join response (real sign-in, real room option);
// - passphrase: typed by the participants, never sent anywhere.
// In both, someone who reaches the SFU without the right key (an SFU operator minting a token, or a
// participant with a wrong passphrase) receives the encrypted packets, decodes no frame, and is told
// why: E2EE_WRONG_KEY with a message, not a frozen picture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin } from '../support/team-api';
import type { RemoteVideoReading } from './harness/api';
import { buildAndServeHarness, type HarnessServer } from './harness/serve';
import { openHarness, type HarnessPage } from './harness/session';

const POLL = { timeout: 45_000, interval: 500 };

async function videoFrom(page: HarnessPage, identity: string): Promise<RemoteVideoReading | undefined> {
  return (await page.call('remoteVideo')).find((r) => r.identity === identity);
}

/** `viewer` shows `publisher`'s camera and decodes a growing number of frames from it. */
async function decodes(viewer: HarnessPage, publisher: string): Promise<void> {
  await expect
    .poll(
      () =>
        viewer.call('showRemote', { width: 320, height: 180 }).then(
          () => 'shown',
          (e: Error) => e.message,
        ),
      POLL,
    )
    .toBe('shown');
  await expect.poll(async () => (await videoFrom(viewer, publisher))?.framesDecoded ?? 0, POLL).toBeGreaterThan(30);
}

/** `viewer` receives `publisher`'s encrypted video (bytes keep arriving) but never decodes a frame. */
async function receivesButCannotDecode(viewer: HarnessPage, publisher: string): Promise<void> {
  await expect
    .poll(
      () =>
        viewer.call('showRemote', { width: 320, height: 180 }).then(
          () => 'shown',
          (e: Error) => e.message,
        ),
      POLL,
    )
    .toBe('shown');
  // Enough bytes for well over a second of video at any layer: plenty of frames arrived.
  await expect.poll(async () => (await videoFrom(viewer, publisher))?.bytesReceived ?? 0, POLL).toBeGreaterThan(100_000);
  expect((await videoFrom(viewer, publisher))?.framesDecoded).toBe(0);
  await expect
    .poll(() => viewer.call('decryptionProblems'), POLL)
    .toContainEqual(
      expect.objectContaining({ code: 'E2EE_WRONG_KEY', participant: publisher, message: expect.stringMatching(/can't be decrypted/) }),
    );
  expect((await videoFrom(viewer, publisher))?.framesDecoded).toBe(0);
}

describe('end-to-end encrypted rooms', () => {
  let stack: TestStack;
  let harness: HarnessServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    [stack, harness, browser] = await Promise.all([startStack(), buildAndServeHarness(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await stack?.teardown();
  });

  it('room-key: members admitted by the team server decode each other; a token without the key decodes nothing', async () => {
    const admin = await setupAdmin(stack);
    const member = await addUser(stack, admin, 'grace');
    await admin.api.createRoom({ name: 'secret-key', title: 'Room key', options: { e2ee: 'room-key' } });
    const [a, g] = await Promise.all([admin.api.joinRoom('secret-key'), member.api.joinRoom('secret-key')]);
    expect(a.e2ee).toBe('room-key');
    expect(Buffer.from(a.e2eeKey ?? '', 'base64')).toHaveLength(32);
    expect(g.e2eeKey).toBe(a.e2eeKey);

    const ada = await openHarness(browser, stack, harness.pageUrl);
    const grace = await openHarness(browser, stack, harness.pageUrl);
    await ada.call('join', { url: a.url, token: a.token, camera: true, e2ee: { mode: 'room-key', secret: a.e2eeKey ?? '' } });
    await grace.call('join', { url: g.url, token: g.token, camera: true, e2ee: { mode: 'room-key', secret: g.e2eeKey ?? '' } });
    await Promise.all([decodes(ada, g.identity), decodes(grace, a.identity)]);
    expect(await ada.call('encrypted')).toBe(true);
    expect(await grace.call('encrypted')).toBe(true);
    expect(await ada.call('decryptionProblems')).toEqual([]);

    // Whoever runs the SFU can mint a token for the room, but has no room key.
    const eve = await openHarness(browser, stack, harness.pageUrl);
    await eve.join({ camera: false, e2ee: { mode: 'room-key', secret: randomBytes(32).toString('base64') } }, 'secret-key', 'eve');
    await receivesButCannotDecode(eve, a.identity);

    for (const p of [ada, grace, eve]) await p.page.context().close();
  });

  it('passphrase: the same passphrase decodes, a different one decodes nothing and says why', async () => {
    const ada = await openHarness(browser, stack, harness.pageUrl);
    const grace = await openHarness(browser, stack, harness.pageUrl);
    const mallory = await openHarness(browser, stack, harness.pageUrl);
    const passphrase = 'correct horse battery staple';
    await ada.join({ camera: true, e2ee: { mode: 'passphrase', secret: passphrase } }, 'secret-phrase', 'ada');
    await grace.join({ camera: true, e2ee: { mode: 'passphrase', secret: passphrase } }, 'secret-phrase', 'grace');
    await Promise.all([decodes(ada, 'grace'), decodes(grace, 'ada')]);
    expect(await ada.call('encrypted')).toBe(true);

    await mallory.join({ camera: false, e2ee: { mode: 'passphrase', secret: 'incorrect horse battery' } }, 'secret-phrase', 'mallory');
    await receivesButCannotDecode(mallory, 'ada');
    expect(await ada.call('decryptionProblems')).toEqual([]);
  });
});
