// @vitest-environment jsdom
// Settings says where updates come from and, when they are off, why, in words.
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type DesktopApi, type UpdateStatus } from '@contracts/desktop';
import DesktopSettings from '@renderer/components/settings/DesktopSettings.svelte';
import type { SettingsState } from '@renderer/lib/state/settings.svelte';

afterEach(() => cleanup());

const OFF: UpdateStatus = { state: 'disabled', version: null, percent: null, error: null, feed: null, disabledReason: 'no-feed' };

function bridge(update: UpdateStatus): DesktopApi {
  const never = () => () => undefined;
  return {
    app: {
      getInfo: vi.fn(async () => ({
        name: 'Parley',
        version: '0.1.0',
        platform: 'win32' as const,
        packaged: true,
        features: { systemPicker: false, shareAudio: true, waylandPortal: false },
      })),
      openExternal: vi.fn(),
      ready: vi.fn(),
      onNavigate: never,
    },
    localHost: {
      getStatus: vi.fn(async () => ({
        state: 'stopped' as const,
        url: null,
        lanUrls: [],
        fingerprint: null,
        pin: null,
        setupCode: null,
        connected: [],
        error: null,
      })),
      start: vi.fn(),
      stop: vi.fn(),
      onStatus: never,
    },
    updates: { getStatus: vi.fn(async () => update), check: vi.fn(async () => update), install: vi.fn(), onStatus: never },
    system: { getScreenAccess: vi.fn(), openScreenSettings: vi.fn(), onPower: never },
  } as unknown as DesktopApi;
}

const show = (update: UpdateStatus) =>
  render(DesktopSettings, { bridge: bridge(update), store: { update: vi.fn() } as unknown as SettingsState, settings: DEFAULT_SETTINGS });

describe('the Updates section', () => {
  it('says updates are off because no team server offers them, and who can change that', async () => {
    show(OFF);
    expect(await screen.findByText(/none of your team servers offers Parley updates/)).toBeTruthy();
    expect(screen.getByTestId('update-state').textContent).toContain('UPDATE_FEED_URL');
    expect(screen.queryByTestId('update-feed')).toBeNull();
  });

  it('names the feed and the team server that set it', async () => {
    show({
      ...OFF,
      state: 'idle',
      disabledReason: null,
      feed: { url: 'https://downloads.acme.test/parley', server: 'https://meet.acme.test' },
    });
    const feed = await screen.findByTestId('update-feed');
    expect(feed.textContent).toMatch(
      /Updates come from\s+https:\/\/downloads\.acme\.test\/parley, as your team server\s+https:\/\/meet\.acme\.test\s+sets/,
    );
  });

  it('explains Linux and unsigned builds', async () => {
    show({ ...OFF, disabledReason: 'unverifiable-platform' });
    expect(await screen.findByText(/On Linux, Parley cannot check that an update really comes from its publisher/)).toBeTruthy();
    cleanup();
    show({ ...OFF, disabledReason: 'unsigned-build' });
    expect(await screen.findByText(/This build of Parley is not signed/)).toBeTruthy();
  });
});
