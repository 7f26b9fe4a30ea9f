import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { NodeParticipant } from '../support/node-participant';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin, type SignedIn } from '../support/team-api';
import { joinFromHome, signIn, tile } from './meeting-support';

// LiveKit's own components and apps chat on the text-stream topic `lk.chat`. Parley's web client in
// Chromium and a second LiveKit client (@livekit/rtc-node in this process, holding a Parley token)
// meet through the real team server and SFU, and chat crosses both ways.
describe('chat with another LiveKit client', () => {
  let stack: TestStack;
  let browser: TestBrowser;
  let admin: SignedIn;
  let other: SignedIn;
  let ada: Page;
  const node = new NodeParticipant();
  const received: { from: string; text: string; topic: string }[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    admin = await setupAdmin(stack, 'ada');
    other = await addUser(stack, admin, 'nadia');
    await admin.api.createRoom({ name: 'interop', title: 'Interop', options: { allowGuests: false, lobby: false } });
  });
  afterAll(async () => {
    await node.disconnect().catch(() => undefined);
    await browser?.close();
    await stack?.teardown();
  });

  it('a message from the other client shows in Parley with its sender, and Parley’s reply reaches it', async () => {
    ada = await browser.newPage();
    await signIn(ada, stack.url, 'ada', admin.password);
    await joinFromHome(ada, 'Interop');

    // The other client joins with a token from the team server, as any LiveKit app given one would.
    const join = await other.api.joinRoom('interop', { device: 'nodeapp' });
    node.room.registerTextStreamHandler('lk.chat', (reader, from) => {
      void reader.readAll().then((text) => received.push({ from: from.identity, text, topic: reader.info.topic }));
    });
    await node.connect(join.url, join.token);
    await tile(ada, 'Nadia').waitFor({ timeout: 30_000 });

    await node.room.localParticipant!.sendText('Hello from another LiveKit app', { topic: 'lk.chat' });
    await expect.poll(() => ada.getByTestId('unread').textContent(), { timeout: 15_000 }).toBe('1');
    await ada.getByRole('button', { name: 'Open chat' }).click();
    const message = ada.getByRole('list', { name: 'Messages' }).locator('li', { hasText: 'Hello from another LiveKit app' });
    await message.waitFor({ timeout: 5_000 });
    expect(await message.locator('.from').textContent()).toBe('Nadia');

    await ada.getByLabel('Message everyone').fill('Hello back from Parley');
    await ada.getByRole('button', { name: 'Send message' }).click();
    const adaIdentity = [...node.room.remoteParticipants.values()].find(
      (p) => p.name === 'Ada' || p.attributes.displayName === 'Ada',
    )?.identity;
    expect(adaIdentity).toBeTruthy();
    await expect
      .poll(() => received, { timeout: 15_000 })
      .toContainEqual({ from: adaIdentity, text: 'Hello back from Parley', topic: 'lk.chat' });
    // Parley's own sends show once, as "You", not echoed back as someone else's.
    await expect
      .poll(() => ada.getByRole('list', { name: 'Messages' }).locator('li', { hasText: 'Hello back from Parley' }).count())
      .toBe(1);
  });

  it('reactions and raised hands stay on Parley’s own topics, out of the other client’s chat', async () => {
    await ada.getByRole('button', { name: 'Send a reaction' }).click();
    await ada.getByRole('button', { name: 'React with 👍' }).click();
    await ada.getByRole('button', { name: 'Raise hand' }).click();
    await ada.getByRole('button', { name: 'Lower hand' }).waitFor();
    // A chat message sent after them arrives, and nothing else came on lk.chat in between.
    await ada.getByLabel('Message everyone').fill('Last one');
    await ada.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => received.map((m) => m.text), { timeout: 15_000 }).toEqual(['Hello back from Parley', 'Last one']);
  });
});
