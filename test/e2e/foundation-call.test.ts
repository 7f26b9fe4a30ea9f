import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin, type SignedIn } from '../support/team-api';
import { audioSamples, decodingVideos, joinFromHome, signIn } from './meeting-support';

// The walking skeleton's promise, now through the real flow: two members sign in, pick the room on
// home, pass pre-join and hear and see each other through the real SFU.
describe('two browsers in one room through the real SFU', () => {
  let stack: TestStack;
  let browser: TestBrowser;
  let admin: SignedIn;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    admin = await setupAdmin(stack, 'ada');
    await addUser(stack, admin, 'grace');
    await admin.api.createRoom({ name: 'e2e-room', title: 'E2E room' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.teardown();
  });

  it('each decodes the other’s video and audio', async () => {
    const ada = await browser.newPage();
    const grace = await browser.newPage();
    await signIn(ada, stack.url, 'ada', admin.password);
    await joinFromHome(ada, 'E2E room');
    await signIn(grace, stack.url, 'grace', admin.password);
    await joinFromHome(grace, 'E2E room');
    for (const page of [ada, grace]) {
      await expect
        .poll(async () => (await decodingVideos(page)) > 0 && (await audioSamples(page)) > 0, { timeout: 30_000, interval: 250 })
        .toBe(true);
    }
  });
});
