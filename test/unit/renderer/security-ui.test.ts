// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GuestLink, GuestLinkInfo, InviteInfo, Room, SessionInfo } from '@contracts/api';
import AccountDialog from '@renderer/components/account/AccountDialog.svelte';
import GuestLinksDialog from '@renderer/components/admin/GuestLinksDialog.svelte';
import InviteList from '@renderer/components/admin/InviteList.svelte';
import RoomOptionsDialog from '@renderer/components/admin/RoomOptionsDialog.svelte';
import { describeClient } from '@renderer/lib/state/account.svelte';
import { AdminState, type AdminApi } from '@renderer/lib/state/admin.svelte';
import { InvitesState } from '@renderer/lib/state/invites.svelte';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});
afterEach(() => cleanup());

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    await tick();
  }
};
const ada = { id: 'u1', username: 'ada', displayName: 'Ada' };
const apiError = (status: number, code: string, message: string) => Object.assign(new Error(message), { name: 'ApiError', status, code });

describe('your account', () => {
  const sessions: SessionInfo[] = [
    {
      id: 'here',
      client: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36',
      address: '127.0.0.1',
      createdAt: '2026-01-01T09:00:00.000Z',
      lastUsedAt: '2026-01-02T09:00:00.000Z',
      expiresAt: '2026-01-09T09:00:00.000Z',
      current: true,
    },
    {
      id: 'phone',
      client: 'Mozilla/5.0 (Android 14) Firefox/130.0',
      address: '203.0.113.4',
      createdAt: '2026-01-01T10:00:00.000Z',
      lastUsedAt: '2026-01-01T11:00:00.000Z',
      expiresAt: '2026-01-08T11:00:00.000Z',
      current: false,
    },
  ];
  function fakeApi() {
    return {
      listSessions: vi.fn(async () => ({ sessions })),
      revokeSession: vi.fn(async () => undefined),
      changePassword: vi.fn(async () => undefined),
    };
  }

  it('lists the signed-in devices and signs one out', async () => {
    const api = fakeApi();
    render(AccountDialog, { props: { open: true, api, serverUrl: 'https://meet.example.com' } });
    await settle();
    expect(screen.getByText('Chrome on Linux')).toBeTruthy();
    expect(screen.getByText('This device')).toBeTruthy();
    // The current device offers no sign-out here (that is "Sign out" on home).
    expect(screen.getAllByRole('button', { name: /^Sign out / })).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Sign out Firefox on Android from 203.0.113.4' }));
    await settle();
    expect(api.revokeSession).toHaveBeenCalledWith('phone');
    expect(screen.queryByText('Firefox on Android')).toBeNull();
  });

  it('changes the password after checking the two new ones agree, and says the other devices were signed out', async () => {
    const api = fakeApi();
    render(AccountDialog, { props: { open: true, api, serverUrl: 'https://meet.example.com' } });
    await settle();
    const submit = screen.getByRole('button', { name: 'Change password' });
    await fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'old password 1' } });
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'new password 22' } });
    await fireEvent.input(screen.getByLabelText('New password again'), { target: { value: 'new password 2' } });
    expect(screen.getByText('The two new passwords differ.')).toBeTruthy();
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('New password again'), { target: { value: 'new password 22' } });
    await fireEvent.click(submit);
    await settle();
    expect(api.changePassword).toHaveBeenCalledWith({ currentPassword: 'old password 1', newPassword: 'new password 22' });
    expect(screen.getByRole('status').textContent).toContain('Your other devices were signed out');
  });

  it('says so when the current password is wrong', async () => {
    const api = fakeApi();
    api.changePassword.mockRejectedValueOnce(apiError(403, 'WRONG_PASSWORD', 'the current password is not right'));
    render(AccountDialog, { props: { open: true, api, serverUrl: 'https://meet.example.com' } });
    await settle();
    await fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'guess' } });
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'new password 22' } });
    await fireEvent.input(screen.getByLabelText('New password again'), { target: { value: 'new password 22' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await settle();
    expect(screen.getByText('Password not changed')).toBeTruthy();
  });

  it('names devices in words', () => {
    expect(describeClient('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit Parley/0.1.0 Electron/45.0 Chrome/140')).toBe(
      'Parley app on macOS',
    );
    expect(describeClient('')).toBe('Unknown device');
  });
});

describe('invites for admins', () => {
  it('shows each invite’s status and revokes an unused one', async () => {
    const list: InviteInfo[] = [
      {
        id: 'i1',
        role: 'member',
        status: 'open',
        createdAt: '2026-01-01T09:00:00.000Z',
        expiresAt: '2026-01-04T09:00:00.000Z',
        createdBy: ada,
        usedBy: null,
      },
      {
        id: 'i2',
        role: 'admin',
        status: 'used',
        createdAt: '2025-12-01T09:00:00.000Z',
        expiresAt: '2025-12-04T09:00:00.000Z',
        createdBy: ada,
        usedBy: { id: 'u2', username: 'bo', displayName: 'Bo' },
      },
    ];
    const api = { listInvites: vi.fn(async () => ({ invites: list })), revokeInvite: vi.fn(async () => undefined) };
    const invites = new InvitesState(api, 'https://meet.example.com');
    await invites.load();
    render(InviteList, { props: { invites } });
    const used = screen.getByText(/Used by Bo/);
    expect(used).toBeTruthy();
    const revoke = screen.getAllByRole('button', { name: /^Revoke the invite made/ });
    expect(revoke).toHaveLength(1);
    await fireEvent.click(revoke[0]!);
    await settle();
    expect(api.revokeInvite).toHaveBeenCalledWith('i1');
    expect(screen.getByText('Revoked')).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /^Revoke/ })).toHaveLength(0);
  });
});

const room: Room = {
  name: 'standup',
  title: 'Standup',
  owner: ada,
  options: {
    lobby: true,
    allowGuests: true,
    locked: false,
    maxParticipants: null,
    e2ee: 'off',
    guestsCanShare: false,
    allowRecording: true,
    directCalls: true,
  },
  createdAt: '2026-01-01T00:00:00.000Z',
  youAreHost: true,
  participants: [],
};

describe('guest links for hosts', () => {
  it('makes a link with a note, lifetime and use limit, shows it once, lists the working ones and revokes one', async () => {
    const existing: GuestLinkInfo = {
      id: 'l1',
      room: 'standup',
      label: 'Auditor',
      createdAt: '2026-01-01T08:00:00.000Z',
      expiresAt: '2026-01-01T16:00:00.000Z',
      maxUses: 20,
      uses: 3,
      createdBy: ada,
    };
    const made: GuestLink = {
      ...existing,
      id: 'l2',
      label: 'Vendor',
      uses: 0,
      maxUses: 2,
      code: 'l2.secret',
      url: 'https://meet.example.com/#/guest/l2.secret',
    };
    const api = {
      listGuestLinks: vi.fn(async () => ({ links: [existing] })),
      createGuestLink: vi.fn(async () => made),
      revokeGuestLink: vi.fn(async () => undefined),
    };
    render(GuestLinksDialog, { props: { open: true, room, api, serverUrl: 'https://meet.example.com' } });
    await settle();
    expect(screen.getByText('Used 3 of 20', { exact: false })).toBeTruthy();

    await fireEvent.input(screen.getByLabelText('Who is it for? (only hosts see this)'), { target: { value: 'Vendor' } });
    await fireEvent.change(screen.getByLabelText('Works for'), { target: { value: '60' } });
    await fireEvent.input(screen.getByLabelText('How many guests may use it'), { target: { value: '2' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create guest link' }));
    await settle();
    expect(api.createGuestLink).toHaveBeenCalledWith('standup', { expiresInMinutes: 60, maxUses: 2, label: 'Vendor' });
    expect(screen.getByTestId('new-guest-link').textContent).toBe(made.url);

    const list = within(screen.getByRole('region', { name: 'Links that work now' }));
    await fireEvent.click(list.getByRole('button', { name: /^Revoke Auditor/ }));
    await settle();
    expect(api.revokeGuestLink).toHaveBeenCalledWith('standup', 'l1');
    expect(list.queryByText('Auditor')).toBeNull();
  });

  it('refuses a use limit out of range before asking the server', async () => {
    const api = { listGuestLinks: vi.fn(async () => ({ links: [] })), createGuestLink: vi.fn(), revokeGuestLink: vi.fn() };
    render(GuestLinksDialog, { props: { open: true, room, api, serverUrl: '' } });
    await settle();
    await fireEvent.input(screen.getByLabelText('How many guests may use it'), { target: { value: '0' } });
    expect(screen.getByText('A number from 1 to 500.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Create guest link' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('room options', () => {
  it('say where room-key encryption stops, point to the passphrase, and let guests share only when allowed', async () => {
    const api = { updateRoom: vi.fn(async () => room) } as unknown as AdminApi;
    const admin = new AdminState(api, '');
    render(RoomOptionsDialog, { props: { open: true, room, admin, onsaved: () => undefined } });
    await fireEvent.change(screen.getByLabelText('End-to-end encryption'), { target: { value: 'room-key' } });
    await tick();
    const help = screen.getByTestId('e2ee-help').textContent ?? '';
    expect(help).toContain("Encrypted against the SFU and the network, not against your team server's operator");
    expect(help).toContain('choose a passphrase');
    await fireEvent.change(screen.getByLabelText('End-to-end encryption'), { target: { value: 'passphrase' } });
    await tick();
    expect(screen.getByTestId('e2ee-help').textContent).toContain('never reaches the server');

    await fireEvent.click(screen.getByLabelText(/Guests may share their screen/));
    await fireEvent.click(screen.getByRole('button', { name: 'Save options' }));
    await settle();
    expect(api.updateRoom).toHaveBeenCalledWith('standup', {
      options: {
        allowGuests: true,
        lobby: true,
        maxParticipants: null,
        e2ee: 'passphrase',
        guestsCanShare: true,
        directCalls: true,
        allowRecording: true,
      },
    });
  });

  it('let a host turn off direct two-person calls, saying what they trade', async () => {
    const api = { updateRoom: vi.fn(async () => room) } as unknown as AdminApi;
    const admin = new AdminState(api, '');
    render(RoomOptionsDialog, { props: { open: true, room, admin, onsaved: () => undefined } });
    const box = screen.getByLabelText(/Connect two-person calls directly/) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(screen.getByText(/Each of the two can see the other's network address/)).toBeTruthy();
    await fireEvent.click(box);
    await fireEvent.click(screen.getByRole('button', { name: 'Save options' }));
    await settle();
    expect(api.updateRoom).toHaveBeenCalledWith('standup', {
      options: {
        allowGuests: true,
        lobby: true,
        maxParticipants: null,
        e2ee: 'off',
        guestsCanShare: false,
        directCalls: false,
        allowRecording: true,
      },
    });
  });
});
