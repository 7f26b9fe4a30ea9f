// The picker flow through Parley's real main process (main/app.ts) on the Electron fake:
// getDisplayMedia -> setDisplayMediaRequestHandler -> picker window -> choice -> callback.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PickerState } from '@contracts/desktop';
import { bootParley, LINUX_WAYLAND, MACOS_14, MACOS_15, until, WINDOWS, type Booted } from '../../support/electron-fake/boot';

function lastPickerState(booted: Booted): PickerState | undefined {
  const picker = booted.pickerWindow();
  const states = picker?.webContents.sent.filter((message) => message.channel === 'picker:state') ?? [];
  return states.at(-1)?.payload as PickerState | undefined;
}

async function openPicker(booted: Booted, request: { audio?: boolean } = {}) {
  const granted = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, {
    video: true,
    audio: request.audio ?? false,
  });
  await until(() => lastPickerState(booted)?.loadingThumbnails === false, 'thumbnails in the picker');
  const state = await booted.invoke('picker:get-state', undefined, booted.pickerWindow());
  if (!state.ok) throw new Error(state.error.message);
  return { granted, state: state.value as PickerState };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the Parley picker', () => {
  it('routes getDisplayMedia to the picker and grants the chosen window', async () => {
    const booted = await bootParley();
    const { granted, state } = await openPicker(booted);
    const picker = booted.pickerWindow();
    expect(picker).toBeDefined();
    expect(picker?.options.parent).toBe(booted.main);

    const result = await booted.invoke(
      'picker:choose',
      { requestId: state.requestId, sourceId: 'window:101:0', shareAudio: false },
      picker,
    );
    expect(result).toEqual({ ok: true, value: null });
    await expect(granted).resolves.toEqual({ video: { id: 'window:101:0', name: 'Quarterly report — Editor' } });
    await until(() => picker?.isDestroyed() === true, 'the picker to close');
  });

  it("lists screens and windows with thumbnails and app icons, never Parley's own windows", async () => {
    const booted = await bootParley();
    const { state } = await openPicker(booted);
    expect(state.sources.map((source) => source.id)).toEqual(['screen:0:0', 'window:101:0', 'window:202:0']);
    const editor = state.sources.find((source) => source.id === 'window:101:0');
    expect(editor?.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
    expect(editor?.appIcon).toMatch(/^data:image\/png;base64,/);
    expect(state.sources[0]?.label).toBe('Entire screen');
  });

  it('sends a fast list without images first, then fills thumbnails in without blocking', async () => {
    const booted = await bootParley();
    let release!: () => void;
    booted.fake.desktopCapturer.gate = new Promise((resolve) => (release = resolve));
    booted.fake.desktopCapturer.gateOnlyThumbnails = true;
    void booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true });
    await until(() => lastPickerState(booted) !== undefined, 'the first list');
    const first = lastPickerState(booted);
    expect(first?.loadingThumbnails).toBe(true);
    expect(first?.sources).toHaveLength(3);
    expect(first?.sources.every((source) => source.thumbnail === null)).toBe(true);
    expect(booted.fake.desktopCapturer.calls[0]?.thumbnailSize).toEqual({ width: 0, height: 0 });

    release();
    await until(() => lastPickerState(booted)?.loadingThumbnails === false, 'thumbnails');
    expect(lastPickerState(booted)?.sources.every((source) => source.thumbnail !== null)).toBe(true);
  });

  it('keeps refreshing while open, picking up windows that appear and dropping closed ones', async () => {
    const booted = await bootParley({ timings: { pickerRefreshMs: 1000 } });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await openPicker(booted);
    booted.fake.desktopCapturer.sources = booted.fake.desktopCapturer.sources.filter((source) => source.id !== 'window:202:0');
    booted.fake.desktopCapturer.sources.push({ id: 'window:404:0', name: 'Slides' });
    vi.advanceTimersByTime(1000);
    await until(() => lastPickerState(booted)?.sources.some((source) => source.id === 'window:404:0') === true, 'refreshed list');
    expect(lastPickerState(booted)?.sources.map((source) => source.id)).toEqual(['screen:0:0', 'window:101:0', 'window:404:0']);
  });

  it('stops refreshing once answered', async () => {
    const booted = await bootParley({ timings: { pickerRefreshMs: 1000 } });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { state, granted } = await openPicker(booted);
    await booted.invoke('picker:cancel', { requestId: state.requestId }, booted.pickerWindow());
    await granted;
    const calls = booted.fake.desktopCapturer.calls.length;
    vi.advanceTimersByTime(5000);
    expect(booted.fake.desktopCapturer.calls.length).toBe(calls);
  });

  it('grants loopback audio with the screen when asked for and supported (Windows)', async () => {
    const booted = await bootParley({ platform: WINDOWS });
    const { granted, state } = await openPicker(booted, { audio: true });
    expect(state.audio).toEqual({ supported: true, requested: true });
    await booted.invoke('picker:choose', { requestId: state.requestId, sourceId: 'screen:0:0', shareAudio: true }, booted.pickerWindow());
    await expect(granted).resolves.toEqual({ video: { id: 'screen:0:0', name: 'Entire Screen' }, audio: 'loopback' });
  });

  it('offers audio on macOS 13+ and enables the Chromium loopback override there', async () => {
    const booted = await bootParley({ platform: MACOS_14 });
    expect(booted.fake.app.switches.get('enable-features')).toContain('MacSckSystemAudioLoopbackOverride');
    const { state } = await openPicker(booted, { audio: true });
    expect(state.audio.supported).toBe(true);
  });

  it('never grants audio on Linux, even if the picker claims shareAudio', async () => {
    const booted = await bootParley();
    const { granted, state } = await openPicker(booted, { audio: true });
    expect(state.audio).toEqual({ supported: false, requested: true });
    await booted.invoke('picker:choose', { requestId: state.requestId, sourceId: 'screen:0:0', shareAudio: true }, booted.pickerWindow());
    await expect(granted).resolves.toEqual({ video: { id: 'screen:0:0', name: 'Entire Screen' } });
  });

  it('does not add audio the page did not request', async () => {
    const booted = await bootParley({ platform: WINDOWS });
    const { granted, state } = await openPicker(booted, { audio: false });
    expect(state.audio.supported).toBe(false);
    await booted.invoke('picker:choose', { requestId: state.requestId, sourceId: 'screen:0:0', shareAudio: true }, booted.pickerWindow());
    await expect(granted).resolves.toEqual({ video: { id: 'screen:0:0', name: 'Entire Screen' } });
  });
});

describe('denials', () => {
  it('cancel answers null and closes the picker', async () => {
    const booted = await bootParley();
    const { granted, state } = await openPicker(booted);
    const picker = booted.pickerWindow();
    await booted.invoke('picker:cancel', { requestId: state.requestId }, picker);
    // The page gets its answer first; its window closes right after, never under its own click.
    expect(picker?.isDestroyed()).toBe(false);
    await expect(granted).resolves.toBeNull();
    await until(() => booted.pickerWindow() === undefined, 'the picker to close');
    expect(booted.log.lines.some((line) => line.event === 'display-media.denied' && line.reason === 'cancelled')).toBe(true);
  });

  it('closing the picker window answers null', async () => {
    const booted = await bootParley();
    const { granted } = await openPicker(booted);
    booted.pickerWindow()?.close();
    await expect(granted).resolves.toBeNull();
  });

  it('a request still pending when the requesting window closes is answered and the picker goes away', async () => {
    const booted = await bootParley();
    const answers: unknown[] = [];
    const frame = booted.main.webContents.mainFrame;
    booted.fake.session.displayMediaHandler?.(
      { frame, securityOrigin: 'parley://app', videoRequested: true, audioRequested: false, userGesture: true },
      (streams) => answers.push(streams),
    );
    await until(() => booted.pickerWindow() !== undefined, 'picker');
    booted.main.destroy();
    expect(answers).toEqual([null]);
    await until(() => booted.pickerWindow() === undefined, 'the picker to close');
  });

  it('denies a second request while one is pending, and focuses the open picker', async () => {
    const booted = await bootParley();
    const { granted, state } = await openPicker(booted);
    booted.pickerWindow()?.blur();
    const second = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true });
    await expect(second).resolves.toBeNull();
    expect(booted.pickerWindow()?.isFocused()).toBe(true);
    await booted.invoke('picker:choose', { requestId: state.requestId, sourceId: 'screen:0:0', shareAudio: false }, booted.pickerWindow());
    await expect(granted).resolves.not.toBeNull();
  });

  it('denies requests from other origins and from subframes without opening a picker', async () => {
    const booted = await bootParley();
    const foreign = booted.fake.session.requestDisplayMedia(booted.main.webContents.createSubframe('https://evil.example/'), {
      video: true,
    });
    await expect(foreign).resolves.toBeNull();
    const appSubframe = booted.fake.session.requestDisplayMedia(booted.main.webContents.createSubframe('parley://app/index.html'), {
      video: true,
    });
    await expect(appSubframe).resolves.toBeNull();
    const spoofedOrigin = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, {
      video: true,
      securityOrigin: 'https://evil.example',
    });
    await expect(spoofedOrigin).resolves.toBeNull();
    expect(booted.pickerWindow()).toBeUndefined();
  });

  it('denies requests from Parley windows other than the main one', async () => {
    const booted = await bootParley();
    const { state } = await openPicker(booted);
    const fromPicker = booted.fake.session.requestDisplayMedia(booted.pickerWindow()?.webContents.mainFrame ?? null, { video: true });
    await expect(fromPicker).resolves.toBeNull();
    await booted.invoke('picker:cancel', { requestId: state.requestId }, booted.pickerWindow());
  });

  it('rejects a stale request id and an unknown source, leaving the request pending', async () => {
    const booted = await bootParley();
    const { granted, state } = await openPicker(booted);
    const picker = booted.pickerWindow();
    const stale = await booted.invoke('picker:choose', { requestId: 'old-request', sourceId: 'screen:0:0', shareAudio: false }, picker);
    expect(stale).toMatchObject({ ok: false, error: { code: 'PICKER_STALE_REQUEST' } });
    const unknown = await booted.invoke(
      'picker:choose',
      { requestId: state.requestId, sourceId: 'window:999:0', shareAudio: false },
      picker,
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'PICKER_UNKNOWN_SOURCE' } });
    // Parley's own window is filtered out and so cannot be chosen either.
    const own = await booted.invoke('picker:choose', { requestId: state.requestId, sourceId: 'window:303:1', shareAudio: false }, picker);
    expect(own).toMatchObject({ ok: false, error: { code: 'PICKER_UNKNOWN_SOURCE' } });
    await booted.invoke('picker:cancel', { requestId: state.requestId }, picker);
    await expect(granted).resolves.toBeNull();
  });

  it('the main window cannot answer the picker for itself', async () => {
    const booted = await bootParley();
    const { granted, state } = await openPicker(booted);
    const fromMain = await booted.invoke('picker:choose', { requestId: state.requestId, sourceId: 'screen:0:0', shareAudio: false });
    expect(fromMain).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
    booted.pickerWindow()?.close();
    await expect(granted).resolves.toBeNull();
  });

  it('answers null when listing sources fails and the picker is closed', async () => {
    const booted = await bootParley();
    booted.fake.desktopCapturer.fail = new Error('capturer broke');
    const granted = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true });
    await until(
      () => lastPickerState(booted) !== undefined || booted.log.lines.some((line) => line.event === 'display-media.list_failed'),
      'failure',
    );
    booted.pickerWindow()?.close();
    await expect(granted).resolves.toBeNull();
  });

  it('quitting answers a pending request', async () => {
    const booted = await bootParley();
    const { granted } = await openPicker(booted);
    booted.fake.app.quit();
    await expect(granted).resolves.toBeNull();
  });
});

describe('platform pickers', () => {
  it('Wayland: only the portal picker, one getSources call, no Parley picker', async () => {
    const booted = await bootParley({ platform: LINUX_WAYLAND });
    booted.fake.desktopCapturer.sources = [{ id: 'screen:77:0', name: 'Portal choice' }];
    const granted = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true, audio: true });
    await expect(granted).resolves.toEqual({ video: { id: 'screen:77:0', name: 'Portal choice' } });
    expect(booted.fake.desktopCapturer.calls).toHaveLength(1);
    expect(booted.fake.desktopCapturer.calls[0]?.types).toEqual(['screen', 'window']);
    expect(booted.pickerWindow()).toBeUndefined();
  });

  it('Wayland: cancelling the portal is a clean denial', async () => {
    const booted = await bootParley({ platform: LINUX_WAYLAND });
    booted.fake.desktopCapturer.sources = [];
    await expect(booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true })).resolves.toBeNull();
  });

  it('macOS 15+: the system picker is used only when the person prefers it', async () => {
    const booted = await bootParley({ platform: MACOS_15 });
    expect(booted.fake.session.displayMediaOptions).toEqual({ useSystemPicker: false });
    await booted.invoke('settings:update', { screenShare: { preferSystemPicker: true } });
    expect(booted.fake.session.displayMediaOptions).toEqual({ useSystemPicker: true });
  });

  it('macOS 14: the system picker is never requested', async () => {
    const booted = await bootParley({ platform: MACOS_14 });
    await booted.invoke('settings:update', { screenShare: { preferSystemPicker: true } });
    expect(booted.fake.session.displayMediaOptions).toEqual({ useSystemPicker: false });
  });

  it('macOS without screen recording permission: explains how to grant it instead of sharing', async () => {
    const booted = await bootParley({ platform: MACOS_14 });
    booted.fake.mediaAccess.screen = 'denied';
    const granted = booted.fake.session.requestDisplayMedia(booted.main.webContents.mainFrame, { video: true });
    await until(() => booted.pickerWindow() !== undefined, 'picker');
    const state = await booted.invoke('picker:get-state', undefined, booted.pickerWindow());
    expect(state).toMatchObject({ ok: true, value: { mode: 'screen-permission-needed', sources: [] } });
    expect(booted.fake.desktopCapturer.calls).toHaveLength(0);
    const choose = await booted.invoke(
      'picker:choose',
      { requestId: (state as { value: PickerState }).value.requestId, sourceId: 'screen:0:0', shareAudio: false },
      booted.pickerWindow(),
    );
    expect(choose.ok).toBe(false);
    await booted.invoke('screen:open-settings', undefined, booted.pickerWindow());
    expect(booted.fake.openedExternally).toEqual(['x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture']);
    booted.pickerWindow()?.close();
    await expect(granted).resolves.toBeNull();
  });
});
