// While sharing: the share bar, and the share ending cleanly when its source goes away.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_CALL_STATE, type CallState, type PickerState } from '@contracts/desktop';
import { SHARE_BAR_SIZE } from '@main/share-bar';
import { bootParley, until, type Booted } from '../../support/electron-fake/boot';
import { fakeDisplay } from '../../support/electron-fake';

const SHARING: CallState = { ...IDLE_CALL_STATE, inCall: true, microphoneEnabled: true, sharingScreen: true };

async function share(booted: Booted, sourceId: string): Promise<void> {
  const granted = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true });
  await until(() => booted.pickerWindow() !== undefined, 'picker');
  await until(
    () =>
      booted.pickerWindow()?.webContents.sent.some((m) => m.channel === 'picker:state' && !(m.payload as PickerState).loadingThumbnails) ===
      true,
    'thumbnails',
  );
  const state = (await booted.invoke('picker:get-state', undefined, booted.pickerWindow())) as { ok: true; value: PickerState };
  await booted.invoke('picker:choose', { requestId: state.value.requestId, sourceId, shareAudio: false }, booted.pickerWindow());
  await granted;
}

const shareStops = (booted: Booted): unknown[] =>
  booted.main.webContents.sent.filter((message) => message.channel === 'share:stop').map((message) => message.payload);

afterEach(() => {
  vi.useRealTimers();
});

describe('the share bar', () => {
  it('appears after a grant: names the source, on top, excluded from capture, without taking focus', async () => {
    const booted = await bootParley();
    await share(booted, 'window:101:0');
    booted.main.focus();
    await until(() => booted.shareBarWindow()?.isVisible() === true, 'share bar shown');
    booted.main.focus();
    const bar = booted.shareBarWindow();
    expect(bar?.contentProtection).toBe(true);
    expect(bar?.alwaysOnTopLevel).toBe('screen-saver');
    expect(bar?.options.focusable).toBe(false);
    expect(bar?.shownInactive).toBe(true);
    expect(bar?.isFocused()).toBe(false);
    expect(booted.main.isFocused()).toBe(true);
    expect(bar?.options.width).toBe(SHARE_BAR_SIZE.width);
    const state = await booted.invoke('share-bar:get-state', undefined, bar);
    expect(state).toEqual({ ok: true, value: { sourceName: 'Quarterly report — Editor' } });
  });

  it('Stop tells the renderer to stop sharing and removes the bar', async () => {
    const booted = await bootParley();
    await share(booted, 'screen:0:0');
    await booted.invoke('call:update-state', SHARING);
    const result = await booted.invoke('share-bar:stop', undefined, booted.shareBarWindow());
    expect(result.ok).toBe(true);
    expect(shareStops(booted)).toEqual([{ reason: 'user' }]);
    expect(booted.shareBarWindow()).toBeUndefined();
  });

  it('goes away when the renderer stops sharing by itself', async () => {
    const booted = await bootParley();
    await share(booted, 'screen:0:0');
    await booted.invoke('call:update-state', SHARING);
    expect(booted.shareBarWindow()).toBeDefined();
    await booted.invoke('call:update-state', { ...SHARING, sharingScreen: false });
    expect(booted.shareBarWindow()).toBeUndefined();
    expect(shareStops(booted)).toEqual([]);
  });

  it('only the share bar window may press Stop', async () => {
    const booted = await bootParley();
    await share(booted, 'screen:0:0');
    const fromMain = await booted.invoke('share-bar:stop');
    expect(fromMain).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
    expect(shareStops(booted)).toEqual([]);
  });
});

describe('the shared source going away', () => {
  it('a shared window that closes ends the share', async () => {
    const booted = await bootParley({ timings: { shareWindowPollMs: 500, pickerRefreshMs: 60_000 } });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await share(booted, 'window:101:0');
    await booted.invoke('call:update-state', SHARING);
    vi.advanceTimersByTime(500);
    await until(() => booted.fake.desktopCapturer.calls.at(-1)?.types.join() === 'window', 'window check');
    expect(shareStops(booted)).toEqual([]);
    booted.fake.desktopCapturer.sources = booted.fake.desktopCapturer.sources.filter((source) => source.id !== 'window:101:0');
    // Each tick starts a check only when the previous one finished.
    await until(() => {
      vi.advanceTimersByTime(500);
      return shareStops(booted).length > 0;
    }, 'share:stop');
    expect(shareStops(booted)).toEqual([{ reason: 'source-closed' }]);
    expect(booted.shareBarWindow()).toBeUndefined();
  });

  it('unplugging the shared screen ends the share; another screen going does not', async () => {
    const booted = await bootParley();
    booted.fake.screen.displays = [fakeDisplay(1, 0, 1920, 1080), fakeDisplay(2, 1920, 2560, 1440, { label: 'DELL U2720Q' })];
    booted.fake.desktopCapturer.sources = [
      { id: 'screen:0:0', name: 'Screen 1', display_id: '1' },
      { id: 'screen:1:0', name: 'Screen 2', display_id: '2' },
    ];
    await share(booted, 'screen:1:0');
    await booted.invoke('call:update-state', SHARING);
    booted.fake.screen.removeDisplay(1);
    expect(shareStops(booted)).toEqual([]);
    booted.fake.screen.removeDisplay(2);
    expect(shareStops(booted)).toEqual([{ reason: 'display-removed' }]);
    expect(booted.shareBarWindow()).toBeUndefined();
  });
});
