// Background effects in real Chromium through the real SFU. The segmenter (wasm, graph, model) and
// the background images must come from the app's own origin: every request of every page is
// recorded and must be loopback (this machine has no internet either, so a CDN fetch would also
// stop the processor from running and fail the frame counts below).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';
import type { RemoteVideoReading } from './harness/api';
import { buildAndServeHarness, type HarnessServer } from './harness/serve';
import { isLocalUrl, openHarness, type HarnessPage } from './harness/session';

const ROOM = 'effects';
// Segmentation runs on SwiftShader here (no GPU) and the machine is shared: seconds per frame at
// worst, so the deadlines are generous; each poll still ends as soon as the condition holds.
const POLL = { timeout: 60_000, interval: 500 };

/** Makes WebGL unavailable, as on a machine whose GPU is blocklisted. */
const NO_WEBGL = `(() => {
  const original = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    if (type === 'webgl' || type === 'webgl2' || type === 'experimental-webgl') return null;
    return original.call(this, type, ...rest);
  };
})();`;

describe('background effects', () => {
  let stack: TestStack;
  let harness: HarnessServer;
  let browser: TestBrowser;
  const pages: HarnessPage[] = [];

  beforeAll(async () => {
    [stack, harness, browser] = await Promise.all([startStack(), buildAndServeHarness(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await stack?.teardown();
  });

  it('blur: previewed before joining, published while processing, switched mid-call, all from loopback', async () => {
    const ada = await openHarness(browser, stack, harness.pageUrl);
    const bob = await openHarness(browser, stack, harness.pageUrl);
    pages.push(ada, bob);
    expect(await ada.call('effectsAvailable')).toEqual({ ok: true });

    // Pre-join: the preview track gets the effect and the segmenter produces frames.
    await ada.call('preview');
    const on = await ada.call('setEffect', { kind: 'blur' });
    expect(on).toMatchObject({ ok: true, effect: { kind: 'blur' } });
    await expect.poll(() => ada.call('effectFrames'), POLL).toBeGreaterThan(0);

    // Join: the processed preview is what gets published; Bob decodes it.
    await ada.join({ camera: true }, ROOM, 'ada');
    await bob.join({ camera: false }, ROOM, 'bob');
    const sid = await ada.call('publicationSid');
    expect(sid).not.toBe('');
    await expect
      .poll(
        () =>
          bob.call('showRemote', { width: 640, height: 360 }).then(
            () => 'shown',
            (e: Error) => e.message,
          ),
        POLL,
      )
      .toBe('shown');
    const adaDecodedByBob = async () =>
      ((await bob.call('remoteVideo')) as RemoteVideoReading[]).find((r) => r.identity === 'ada')?.framesDecoded ?? 0;

    const flowing = async (label: string) => {
      const [fx, sent, decoded] = [await ada.call('effectFrames'), (await ada.call('localVideo')).framesEncoded, await adaDecodedByBob()];
      await expect.poll(() => ada.call('effectFrames'), { ...POLL, message: `${label}: effect frames` }).toBeGreaterThan(fx + 3);
      await expect
        .poll(async () => (await ada.call('localVideo')).framesEncoded, { ...POLL, message: `${label}: frames encoded` })
        .toBeGreaterThan(sent + 3);
      await expect.poll(adaDecodedByBob, { ...POLL, message: `${label}: frames Bob decoded` }).toBeGreaterThan(decoded + 3);
    };
    await flowing('blur');

    // Mid-call switch to a shipped image: same publication, no rejoin, frames keep flowing.
    expect(await ada.call('setEffect', { kind: 'image', image: 'office' })).toMatchObject({ ok: true, effect: { kind: 'image' } });
    await flowing('virtual background');
    // What Bob decodes is the composite: left of centre, where Chromium's fake camera shows plain
    // green, he now sees the shipped office wall (beige).
    await expect
      .poll(async () => {
        const [r = 0, g = 0, b = 0] = (await bob.call('remotePixel', 0.15, 0.4)) ?? [];
        return r > 150 && g > 150 && b > 120 && Math.abs(r - g) < 40 ? 'office wall' : `rgb(${r},${g},${b})`;
      }, POLL)
      .toBe('office wall');
    expect(await ada.call('publicationSid')).toBe(sid);

    // Off: the camera goes on unprocessed (the fake camera's green is back).
    expect(await ada.call('setEffect', { kind: 'none' })).toMatchObject({ ok: true });
    const decoded = await adaDecodedByBob();
    await expect.poll(adaDecodedByBob, POLL).toBeGreaterThan(decoded + 10);
    await expect
      .poll(async () => {
        const [r = 0, g = 0, b = 0] = (await bob.call('remotePixel', 0.15, 0.4)) ?? [];
        return g > 100 && r < 60 && b < 60 ? 'green' : `rgb(${r},${g},${b})`;
      }, POLL)
      .toBe('green');
    expect(await ada.call('publicationSid')).toBe(sid);

    const requests = pages.flatMap((p) => p.requests);
    expect(requests.some((u) => u.includes('/media/selfie_segmentation/') && u.endsWith('.wasm'))).toBe(true);
    expect(requests.some((u) => u.endsWith('.tflite'))).toBe(true);
    expect(requests.filter((u) => !isLocalUrl(u))).toEqual([]);
  });

  it('without WebGL the effect falls back cleanly, with a code and a message, and the camera keeps going', async () => {
    const carol = await openHarness(browser, stack, harness.pageUrl, { initScript: NO_WEBGL });
    expect(await carol.call('effectsAvailable')).toMatchObject({ ok: false, code: 'EFFECT_UNSUPPORTED' });
    await carol.call('preview');
    const result = await carol.call('setEffect', { kind: 'blur' });
    expect(result).toMatchObject({ ok: false, code: 'EFFECT_UNSUPPORTED', effect: { kind: 'none' } });
    expect(result.ok ? '' : result.message).toMatch(/WebGL/);
    const shown = await carol.call('previewFrames');
    await expect.poll(() => carol.call('previewFrames'), POLL).toBeGreaterThan(shown + 10);
    // Nothing of the segmenter was even fetched.
    expect(carol.requests.filter((u) => u.includes('selfie_segmentation'))).toEqual([]);
  });
});
