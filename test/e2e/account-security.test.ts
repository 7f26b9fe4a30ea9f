import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startStack, type TestStack } from '../support/stack';
import { addUser, anonymous, PASSWORD, setupAdmin, signIn as apiSignIn, type SignedIn } from '../support/team-api';
import { shoot, signIn } from './meeting-support';

// The account and link controls as a person uses them, in Chromium against the real team server:
// sign a device out, change the password, revoke an invite, make and revoke a guest link.
describe('account, invites and guest links in the web client', () => {
  let stack: TestStack;
  let browser: TestBrowser;
  let admin: SignedIn;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    admin = await setupAdmin(stack, 'ada');
    await admin.api.createRoom({ name: 'standup', title: 'Standup', options: { allowGuests: true } });
    page = await browser.newPage();
    await signIn(page, stack.url, 'ada', PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.teardown();
  });

  it('signs another device out and changes the password from "Your account"', async () => {
    const phone = await apiSignIn(stack, 'ada');
    await page.getByRole('button', { name: /your account/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Your account' });
    await dialog.getByText('This device').waitFor();
    // This browser, the session setup made, and the "phone": two others to sign out.
    const others = dialog.getByRole('button', { name: /^Sign out .* from 127\.0\.0\.1$/ });
    await expect.poll(() => others.count()).toBe(2);
    await shoot(page, 'account.png');
    await others.first().click();
    await expect.poll(() => others.count()).toBe(1);
    await others.first().click();
    await expect.poll(() => others.count()).toBe(0);
    await expect
      .poll(() =>
        phone.api.me().then(
          () => 'in',
          (e: { status: number }) => e.status,
        ),
      )
      .toBe(401);
    expect(
      await admin.api.me().then(
        () => 'in',
        (e: { status: number }) => e.status,
      ),
    ).toBe(401);

    const laptop = await apiSignIn(stack, 'ada');
    await dialog.getByLabel('Current password').fill(PASSWORD);
    await dialog.getByLabel('New password', { exact: true }).fill('a brand new password');
    await dialog.getByLabel('New password again').fill('a brand new password');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('Password changed. Your other devices were signed out.').waitFor();
    await expect
      .poll(() =>
        laptop.api.me().then(
          () => 'in',
          (e: { status: number }) => e.status,
        ),
      )
      .toBe(401);
    expect((await apiSignIn(stack, 'ada', 'a brand new password')).user.username).toBe('ada');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('revokes an unused invite from the team panel', async () => {
    await page.getByRole('button', { name: 'Create invite code' }).click();
    const code = (await page.getByTestId('invite-code').textContent())!.trim();
    const invites = page.getByTestId('invites');
    await invites.getByText('Not used yet', { exact: false }).waitFor();
    await invites
      .getByRole('button', { name: /^Revoke the invite/ })
      .first()
      .click();
    await invites.getByText('Revoked').waitFor();
    await expect(
      anonymous(stack).register({ inviteCode: code, username: 'eve', password: PASSWORD, displayName: 'Eve' }),
    ).rejects.toMatchObject({ code: 'INVITE_INVALID' });
  });

  it('makes a guest link with a note and a use limit, and revokes it', async () => {
    await page.getByRole('button', { name: 'Manage guest links for Standup' }).click();
    const dialog = page.getByRole('dialog', { name: 'Guest links for Standup' });
    await dialog.getByLabel('Who is it for? (only hosts see this)').fill('Vendor call');
    await dialog.getByLabel('Works for').selectOption({ label: '1 hour' });
    await dialog.getByLabel('How many guests may use it').fill('2');
    await dialog.getByRole('button', { name: 'Create guest link' }).click();
    const url = (await dialog.getByTestId('new-guest-link').textContent())!;
    const code = url.split('/#/guest/')[1]!;
    await dialog.getByText('Used 0 of 2', { exact: false }).waitFor();
    await shoot(page, 'guest-links.png');
    expect((await anonymous(stack).guestJoin(code, 'Vera Vendor')).status).toBe('waiting');
    await dialog.getByRole('button', { name: /^Revoke Vendor call/ }).click();
    await dialog.getByText('None. Guests can only join with a link.').waitFor();
    await expect(anonymous(stack).guestJoin(code, 'Late')).rejects.toMatchObject({ code: 'GUEST_LINK_INVALID' });
  });

  it('says where room-key encryption stops when a host chooses it', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Edit options of Standup' }).click();
    const dialog = page.getByRole('dialog', { name: 'Options for Standup' });
    await dialog.getByLabel('End-to-end encryption').selectOption('room-key');
    await dialog.getByText("not against your team server's operator", { exact: false }).waitFor();
    await shoot(page, 'room-options-e2ee.png');
  });

  it('shows a member no admin or host controls', async () => {
    // (The first step signed this admin's API session out and changed the password.)
    await addUser(stack, await apiSignIn(stack, 'ada', 'a brand new password'), 'bob');
    const bob = await browser.newPage();
    await signIn(bob, stack.url, 'bob', PASSWORD);
    expect(await bob.getByRole('button', { name: 'Manage guest links for Standup' }).count()).toBe(0);
    expect(await bob.getByTestId('invites').count()).toBe(0);
    await bob.close();
  });
});
