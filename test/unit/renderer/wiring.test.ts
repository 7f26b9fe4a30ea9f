// The pieces wired in the second pass: settings over the desktop bridge, team admin, media wiring in
// the meeting state (share mode, decryption per tile), the early server-info fetch and the
// livekit-free device error mapping the first screen relies on.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch, type ShortcutStatus } from '@contracts/desktop';
import type { Invite, User } from '@contracts/api';
import { AdminState, parseMaxParticipants, type AdminApi } from '@renderer/lib/state/admin.svelte';
import { MeetingState } from '@renderer/lib/state/meeting.svelte';
import { SettingsState, type SettingsBridge } from '@renderer/lib/state/settings.svelte';
import { deviceFailure, mediaProblem } from '@renderer/lib/problems';
import { fakeSource, INFO, person } from './fakes';

function fakeBridge(initial: Settings = DEFAULT_SETTINGS) {
  let current = initial;
  const listeners = new Set<(s: Settings) => void>();
  const status: ShortcutStatus = { pushToTalk: 'off', toggleMute: 'off', pushToTalkRelease: 'repeats-stop' };
  const bridge: SettingsBridge = {
    settings: {
      get: vi.fn(async () => current),
      update: vi.fn(async (patch: SettingsPatch) => {
        if (patch.shortcuts?.pushToTalk === 'Nonsense+')
          throw new Error('[SETTINGS_INVALID] shortcuts.pushToTalk: not an Electron accelerator');
        current = { ...current, ...patch };
        return current;
      }),
      onChanged: (l) => (listeners.add(l), () => listeners.delete(l)),
    },
    shortcuts: { getStatus: vi.fn(async () => status) },
    // What main does once the person said yes in its dialog ("no" is SERVER_DECLINED).
    servers: {
      add: vi.fn(async (request) => {
        if (request.from !== 'typed') throw new Error('[SERVER_UNKNOWN] no such offer');
        if (request.url.includes('declined')) throw new Error('[SERVER_DECLINED] The server was not added.');
        const server = { id: 'abc', name: request.name ?? new URL(request.url).host, url: request.url };
        current = { ...current, teamServers: [...current.teamServers, server] };
        return { server, reload: true };
      }),
      sync: vi.fn(async () => ({ reload: false })),
    },
  };
  return { bridge, push: (s: Settings) => listeners.forEach((l) => l(s)), listeners };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('SettingsState', () => {
  it('loads from main, follows changes made elsewhere and unsubscribes', async () => {
    const f = fakeBridge();
    const s = new SettingsState(f.bridge);
    const stop = s.start();
    await flush();
    expect(s.settings?.shortcuts.enabled).toBe(false);
    expect(s.shortcutStatus).toEqual({ pushToTalk: 'off', toggleMute: 'off', pushToTalkRelease: 'repeats-stop' });
    f.push({ ...DEFAULT_SETTINGS, closeToTray: false });
    expect(s.settings?.closeToTray).toBe(false);
    stop();
    expect(f.listeners.size).toBe(0);
  });

  it('sends whole sections and keeps what main answered', async () => {
    const f = fakeBridge();
    const s = new SettingsState(f.bridge);
    s.start();
    await flush();
    expect(await s.addServer(' Office ', 'https://meet.example.com/')).toBe(true);
    expect(f.bridge.servers.add).toHaveBeenCalledWith({ from: 'typed', url: 'https://meet.example.com', name: 'Office' });
    expect(s.settings?.teamServers).toEqual([expect.objectContaining({ name: 'Office', url: 'https://meet.example.com' })]);
    // "Cancel" in main's dialog: nothing saved, and no error to show.
    expect(await s.addServer('', 'https://declined.example.com')).toBe(false);
    expect(s.error).toBeNull();
    expect(s.settings?.teamServers).toHaveLength(1);
    const id = s.settings!.teamServers[0]!.id;
    expect(await s.removeServer(id)).toBe(true);
    expect(s.settings?.teamServers).toEqual([]);
    expect(f.bridge.settings.update).toHaveBeenLastCalledWith({ teamServers: [] });
  });

  it('says why main refused a value, without the error code', async () => {
    const f = fakeBridge();
    const s = new SettingsState(f.bridge);
    s.start();
    await flush();
    expect(await s.update({ shortcuts: { enabled: true, pushToTalk: 'Nonsense+', toggleMute: null } })).toBe(false);
    expect(s.error).toBe('Not saved: shortcuts.pushToTalk: not an Electron accelerator.');
    expect(s.settings?.shortcuts.enabled).toBe(false);
  });
});

describe('AdminState', () => {
  const ada: User = {
    id: 'u1',
    username: 'ada',
    displayName: 'Ada',
    role: 'member',
    disabled: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  function fakeApi() {
    const api = {
      createInvite: vi.fn(async (): Promise<Invite> => ({
        id: 'inv1',
        code: 'ABCD-1234',
        role: 'member',
        expiresAt: '2026-01-04T00:00:00.000Z',
      })),
      listUsers: vi.fn(async () => ({ users: [ada] })),
      updateUser: vi.fn(async (id: string, body: { role?: 'admin' | 'member'; disabled?: boolean }) => ({ ...ada, id, ...body })),
      updateRoom: vi.fn(async () => {
        throw Object.assign(new Error('forbidden'), { name: 'ApiError', status: 403, code: 'FORBIDDEN' });
      }),
    };
    return api as typeof api & AdminApi;
  }

  it('creates an invite and changes role and status through the client', async () => {
    const api = fakeApi();
    const a = new AdminState(api, 'https://meet.example.com');
    await a.loadUsers();
    expect(a.users).toEqual([ada]);
    expect((await a.createInvite('member'))?.code).toBe('ABCD-1234');
    expect(a.invite?.code).toBe('ABCD-1234');
    await a.setRole('u1', 'admin');
    expect(api.updateUser).toHaveBeenLastCalledWith('u1', { role: 'admin' });
    await a.setDisabled('u1', true);
    expect(a.users[0]).toMatchObject({ role: 'member', disabled: true });
  });

  it('saves room options with the lobby off when guests are not allowed, and shows a refusal', async () => {
    const api = fakeApi();
    const a = new AdminState(api, 'https://meet.example.com');
    expect(
      await a.updateRoom('standup', {
        allowGuests: false,
        lobby: true,
        maxParticipants: 12,
        e2ee: 'passphrase',
        guestsCanShare: true,
        directCalls: false,
        allowRecording: true,
      }),
    ).toBeNull();
    expect(api.updateRoom).toHaveBeenCalledWith('standup', {
      options: {
        allowGuests: false,
        lobby: false,
        maxParticipants: 12,
        e2ee: 'passphrase',
        guestsCanShare: false,
        directCalls: false,
        allowRecording: true,
      },
    });
    expect(a.problem).not.toBeNull();
    expect(a.busy).toBe(false);
  });

  it('reads the participant limit', () => {
    expect(parseMaxParticipants('')).toBeNull();
    expect(parseMaxParticipants(' 25 ')).toBe(25);
    expect(parseMaxParticipants('1')).toBe('invalid');
    expect(parseMaxParticipants('1001')).toBe('invalid');
    expect(parseMaxParticipants('ten')).toBe('invalid');
  });
});

describe('MeetingState media wiring', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());
  const me = person('me', { isLocal: true });

  it('shares in the chosen mode and restarts a running share in a new one', async () => {
    const f = fakeSource([me, person('ada')]);
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    await m.toggleScreenShare();
    expect(f.source.setScreenShare).toHaveBeenLastCalledWith(true, 'text');
    await m.setShareMode('motion');
    expect(f.source.setScreenShare.mock.calls.slice(-2)).toEqual([[false], [true, 'motion']]);
    expect(m.sharing).toBe(true);
  });

  it('puts a decryption problem on the affected participant, not in a toast', () => {
    const f = fakeSource([me, person('ada')]);
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    f.decryptionProblem({ code: 'E2EE_WRONG_KEY', message: "Can't decrypt Ada's media: the passphrase differs.", participant: 'ada' });
    expect(m.decryptionProblems).toEqual({ ada: "Can't decrypt Ada's media: the passphrase differs." });
    expect(m.notice).toBeNull();
    f.decryptionProblem({ code: 'E2EE_INTERNAL', message: 'Encryption failed.' });
    expect(m.notice?.message).toBe('Encryption failed.');
  });
});

describe('first-screen helpers', () => {
  it('maps device errors by name, as livekit-client does', () => {
    expect(deviceFailure(Object.assign(new Error('x'), { name: 'NotAllowedError' }))).toBe('PermissionDenied');
    expect(deviceFailure({ name: 'NotReadableError' })).toBe('DeviceInUse');
    expect(deviceFailure({ name: 'DevicesNotFoundError' })).toBe('NotFound');
    expect(deviceFailure('nope')).toBe('Other');
    expect(mediaProblem({ name: 'NotFoundError' }, 'camera').kind).toBe('device-missing');
  });

  it('fires the server-info request at import and hands it over once, for the same server only', async () => {
    vi.resetModules();
    const fetchMock = vi.fn(
      async () =>
        new Response(JSON.stringify({ name: 'Team', version: '1', livekitUrl: 'ws://x', setupDone: true, features: [] }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('location', { protocol: 'https:', origin: 'https://meet.example.com', hash: '' });
    try {
      const early = await import('@renderer/lib/early');
      expect(fetchMock).toHaveBeenCalledTimes(1);
      expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toBe('https://meet.example.com/api/v1/server');
      expect(early.takeEarlyServerInfo('https://other.example.com')).toBeNull();
      expect((await early.takeEarlyServerInfo('https://meet.example.com'))?.name).toBe('Team');
      expect(early.takeEarlyServerInfo('https://meet.example.com')).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('starts the meeting chunk at import for a guest link only (pre-join comes next), beside the server info', async () => {
    const loadCall = vi.fn(() => Promise.resolve({}));
    vi.doMock('@renderer/lib/call-chunk', () => ({ loadCall }));
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 503 })),
    );
    try {
      for (const [hash, loads] of [
        ['', 0],
        ['#/room/standup', 0],
        ['#/guest/abcdef123456', 1],
      ] as const) {
        vi.resetModules();
        loadCall.mockClear();
        vi.stubGlobal('location', { protocol: 'https:', origin: 'https://meet.example.com', hash });
        await import('@renderer/lib/early');
        expect(loadCall).toHaveBeenCalledTimes(loads);
      }
    } finally {
      vi.doUnmock('@renderer/lib/call-chunk');
      vi.unstubAllGlobals();
    }
  });
});
