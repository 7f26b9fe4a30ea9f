// Recording as people use it, in real Chromium through the real team server, SFU and ffmpeg: the
// host clicks Record, the member sees the banner, a member and a guest arriving later are asked
// before entering (a member who says no stays out) and see it too, the host stops, the file appears in Recent meetings and downloads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '@contracts/api-client';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin, type SignedIn } from '../support/team-api';
import { decodingVideos, guestAsks, joinFromHome, shoot, signIn } from './meeting-support';

describe('recording a meeting from the meeting view', () => {
  let stack: TestStack;
  let browser: TestBrowser;
  let admin: SignedIn;
  let bobApi: SignedIn;
  let ada: Page; // the host
  let bob: Page; // a member
  let grace: Page; // a guest who arrives while recording
  let cleo: Page; // a member who arrives while recording
  const tmp = mkdtempSync(join(tmpdir(), 'parley-rec-e2e-'));

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    admin = await setupAdmin(stack, 'ada');
    bobApi = await addUser(stack, admin, 'bob');
    await addUser(stack, admin, 'cleo');
    await admin.api.createRoom({ name: 'standup', title: 'Standup', options: { allowGuests: true, lobby: false } });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.teardown();
    rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'the host records; everyone sees it; late members and guests are asked first; the file is listed and downloads',
    { timeout: 300_000 },
    async () => {
      ada = await browser.newPage();
      bob = await browser.newPage();
      await signIn(ada, stack.url, 'ada', admin.password);
      await joinFromHome(ada, 'Standup');
      await signIn(bob, stack.url, 'bob', admin.password);
      await joinFromHome(bob, 'Standup');
      await expect.poll(() => decodingVideos(bob, 10), { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(1);

      // Only hosts have the button; the API refuses a member.
      expect(await bob.getByRole('button', { name: 'Record meeting' }).count()).toBe(0);
      const refused = await bobApi.api.startRecording('standup').catch((e: unknown) => e);
      expect((refused as ApiError).status).toBe(403);

      await ada.getByRole('button', { name: 'Record meeting' }).click();
      await ada.getByRole('button', { name: 'Stop recording' }).waitFor({ timeout: 60_000 });
      for (const page of [ada, bob]) await page.getByTestId('recording-banner').waitFor({ timeout: 30_000 });
      await expect.poll(() => bob.getByTestId('recording-announcement').textContent()).toContain('Recording started');
      await shoot(bob, 'recording-banner.png');

      // A member arriving now is asked at pre-join; saying no keeps them out of the meeting.
      cleo = await browser.newPage();
      await signIn(cleo, stack.url, 'cleo', admin.password);
      await cleo.getByRole('button', { name: 'Join Standup' }).click();
      await cleo.getByRole('button', { name: 'Join now' }).click();
      await cleo.getByTestId('recording-question').waitFor({ timeout: 60_000 });
      await shoot(cleo, 'recording-member-question.png');
      await cleo.getByRole('button', { name: "Don't join" }).click();
      await cleo.getByTestId('recording-question').waitFor({ state: 'detached', timeout: 10_000 });
      await cleo.getByRole('button', { name: 'Join now' }).waitFor({ timeout: 10_000 });
      expect(await cleo.getByRole('toolbar', { name: 'Meeting controls' }).count()).toBe(0);
      expect((await admin.api.getRoom('standup')).participants.map((p) => p.displayName)).not.toContain('Cleo');
      // Asked again, they agree, enter, and see the banner.
      await cleo.getByRole('button', { name: 'Join now' }).click();
      await cleo.getByRole('button', { name: 'Join and be recorded' }).click();
      await cleo.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
      await cleo.getByTestId('recording-banner').waitFor({ timeout: 30_000 });
      await cleo.getByRole('button', { name: 'Leave meeting' }).click();

      // A guest arriving now is told before entering, and sees the banner once in.
      grace = await browser.newPage();
      const link = await admin.api.createGuestLink('standup');
      await guestAsks(grace, link.url, 'Grace');
      await grace.getByTestId('recording-question').waitFor({ timeout: 60_000 });
      await shoot(grace, 'recording-guest-question.png');
      await grace.getByRole('button', { name: 'Join and be recorded' }).click();
      await grace.getByRole('toolbar', { name: 'Meeting controls' }).waitFor({ timeout: 60_000 });
      await grace.getByTestId('recording-banner').waitFor({ timeout: 30_000 });
      await expect.poll(() => grace.getByTestId('recording-announcement').textContent()).toContain('being recorded');
      await expect.poll(() => decodingVideos(grace, 10), { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(2);

      await ada.getByRole('button', { name: 'Stop recording' }).click();
      for (const page of [ada, bob, grace]) await page.getByTestId('recording-banner').waitFor({ state: 'detached', timeout: 30_000 });
      await expect.poll(() => bob.getByTestId('recording-announcement').textContent()).toContain('Recording stopped');

      // Back home, Bob finds it under the meeting with its length and size, once it is ready.
      await bob.getByRole('button', { name: 'Leave meeting' }).click();
      await bob.getByRole('heading', { name: 'Rooms' }).waitFor({ timeout: 30_000 });
      const row = bob.locator('[data-testid="recording-row"][data-status="ready"]');
      await row.waitFor({ timeout: 180_000 });
      const listed = (await bobApi.api.listRecordings({ room: 'standup' })).recordings[0]!;
      expect(await row.getByTestId('recording-facts').textContent()).toMatch(/^\d+:\d\d · [\d.]+ (KB|MB)$/);
      await shoot(bob, 'recording-history.png');

      const [download] = await Promise.all([bob.waitForEvent('download'), row.getByRole('button', { name: 'Download' }).click()]);
      const file = join(tmp, 'download.mp4');
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(/^standup-.*\.mp4$/);
      expect(statSync(file).size).toBe(listed.sizeBytes);
      const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file]).stdout.toString();
      expect(probe.split('\n').filter(Boolean).sort()).toEqual(['aac', 'h264']);
    },
  );
});
