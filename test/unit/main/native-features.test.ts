// Notifications, tray, shortcuts, deep links, power — through the booted app where they meet
// Electron, and directly where the logic is pure.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_CALL_STATE, type CallState, type NotificationRequest } from '@contracts/desktop';
import { findDeepLink, parseDeepLink } from '@main/deep-links';
import { createShortcuts } from '@main/shortcuts';
import { createMemoryLogger } from '@main/log';
import { bootParley, MACOS_15, type Booted } from '../../support/electron-fake/boot';
import { FakeGlobalShortcut, FakeKeyHook, FakeNotification, FakeTray } from '../../support/electron-fake';

const ROOM = { serverUrl: 'https://meet.example.com', room: 'standup', title: 'Daily standup' };
const IN_CALL: CallState = { ...IDLE_CALL_STATE, inCall: true, room: ROOM, microphoneEnabled: true, cameraEnabled: true };

const sentTo = (booted: Booted, channel: string): unknown[] =>
  booted.main.webContents.sent.filter((message) => message.channel === channel).map((message) => message.payload);

afterEach(() => {
  vi.useRealTimers();
});

describe('notifications', () => {
  const chat: NotificationRequest = { kind: 'chat-message', room: ROOM, from: 'Ada', text: 'Can you share the slides?' };

  it('shows a chat message while the window is unfocused; clicking opens the chat', async () => {
    const booted = await bootParley();
    await booted.invoke('call:update-state', IN_CALL);
    booted.main.blur();
    expect(await booted.invoke('notification:show', chat)).toEqual({ ok: true, value: { shown: true, reason: 'shown' } });
    const notification = FakeNotification.instances.at(-1);
    expect(notification?.shown).toBe(true);
    expect(notification?.options).toMatchObject({ title: 'Ada in Daily standup', body: 'Can you share the slides?' });
    booted.main.minimize();
    notification?.click();
    expect(booted.main.isFocused()).toBe(true);
    expect(booted.main.isMinimized()).toBe(false);
    expect(sentTo(booted, 'app:navigate')).toEqual([{ view: 'meeting', panel: 'chat' }]);
  });

  it('stays quiet while the window is focused, except chat while sharing', async () => {
    const booted = await bootParley();
    booted.main.focus();
    await booted.invoke('call:update-state', IN_CALL);
    expect(await booted.invoke('notification:show', chat)).toEqual({ ok: true, value: { shown: false, reason: 'window-focused' } });
    expect(await booted.invoke('notification:show', { kind: 'participant-joined', room: ROOM, participantName: 'Grace' })).toMatchObject({
      value: { shown: false },
    });
    await booted.invoke('call:update-state', { ...IN_CALL, sharingScreen: true });
    expect(await booted.invoke('notification:show', chat)).toMatchObject({ value: { shown: true } });
    expect(FakeNotification.instances).toHaveLength(1);
  });

  it('raised hands and lobby guests are for hosts only', async () => {
    const booted = await bootParley();
    booted.main.blur();
    await booted.invoke('call:update-state', IN_CALL);
    const hand: NotificationRequest = { kind: 'hand-raised', room: ROOM, participantName: 'Linus' };
    expect(await booted.invoke('notification:show', hand)).toMatchObject({ value: { shown: false, reason: 'not-host' } });
    await booted.invoke('call:update-state', { ...IN_CALL, isHost: true });
    expect(await booted.invoke('notification:show', hand)).toMatchObject({ value: { shown: true } });
    expect(await booted.invoke('notification:show', { kind: 'lobby-guest', room: ROOM, guestName: 'Visitor' })).toMatchObject({
      value: { shown: true },
    });
    FakeNotification.instances.at(-1)?.click();
    expect(sentTo(booted, 'app:navigate').at(-1)).toEqual({ view: 'meeting', panel: 'lobby' });
  });

  it('a meeting started in a team room opens its join screen when clicked', async () => {
    const booted = await bootParley();
    booted.main.blur();
    await booted.invoke('notification:show', { kind: 'meeting-started', room: ROOM, startedBy: 'Ada' });
    FakeNotification.instances.at(-1)?.click();
    expect(sentTo(booted, 'app:navigate')).toEqual([{ view: 'join', room: ROOM, source: 'notification' }]);
  });

  it('respects the setting and platforms without notifications', async () => {
    const booted = await bootParley();
    booted.main.blur();
    await booted.invoke('settings:update', { notifications: { enabled: false } });
    expect(await booted.invoke('notification:show', chat)).toMatchObject({ value: { shown: false, reason: 'disabled' } });
    await booted.invoke('settings:update', { notifications: { enabled: true } });
    FakeNotification.supported = false;
    expect(await booted.invoke('notification:show', chat)).toMatchObject({ value: { shown: false, reason: 'unsupported' } });
  });
});

describe('tray', () => {
  it('shows microphone and camera state and offers quick mute and leave during a call', async () => {
    const booted = await bootParley();
    const tray = FakeTray.instances.at(-1);
    expect(tray?.image.tag).toBe('/app/build/tray/tray-idle.png');
    expect(tray?.menu?.items.map((item) => item.id).filter(Boolean)).toEqual(['quit']);
    await booted.invoke('call:update-state', IN_CALL);
    expect(tray?.image.tag).toBe('/app/build/tray/tray-live.png');
    expect(tray?.tooltip).toBe('Parley — in Daily standup: microphone on, camera on');
    tray?.clickMenuItem('toggle-microphone');
    tray?.clickMenuItem('leave');
    expect(sentTo(booted, 'call:control')).toEqual([
      { action: 'toggle-microphone', source: 'tray' },
      { action: 'leave', source: 'tray' },
    ]);
    await booted.invoke('call:update-state', { ...IN_CALL, microphoneEnabled: false, cameraEnabled: false });
    expect(tray?.image.tag).toBe('/app/build/tray/tray-muted.png');
    expect(tray?.menu?.items.find((item) => item.id === 'toggle-microphone')?.label).toBe('Unmute microphone');
  });

  it('closing the window during a call hides it to the tray; the call keeps running', async () => {
    const booted = await bootParley();
    await booted.invoke('call:update-state', IN_CALL);
    booted.main.close();
    expect(booted.main.isDestroyed()).toBe(false);
    expect(booted.main.isVisible()).toBe(false);
    FakeTray.instances.at(-1)?.emit('click');
    expect(booted.main.isVisible()).toBe(true);
  });

  it('closing the window outside a call, or when quitting, really closes it', async () => {
    const booted = await bootParley();
    booted.main.close();
    expect(booted.main.isDestroyed()).toBe(true);
    const again = await bootParley();
    await again.invoke('call:update-state', IN_CALL);
    again.fake.app.quit();
    again.main.close();
    expect(again.main.isDestroyed()).toBe(true);
  });
});

describe('global shortcuts', () => {
  const config = { enabled: true, pushToTalk: 'CommandOrControl+Shift+Space', toggleMute: 'CommandOrControl+Shift+M' };

  it('are off by default and registered only when enabled and in a call', async () => {
    const booted = await bootParley();
    await booted.invoke('call:update-state', IN_CALL);
    expect(booted.fake.globalShortcut.registered.size).toBe(0);
    await booted.invoke('settings:update', { shortcuts: config });
    expect([...booted.fake.globalShortcut.registered.keys()].sort()).toEqual([config.pushToTalk, config.toggleMute].sort());
    expect(await booted.invoke('shortcuts:get-status')).toEqual({
      ok: true,
      value: { pushToTalk: 'registered', toggleMute: 'registered', pushToTalkRelease: 'repeats-stop' },
    });
    await booted.invoke('call:update-state', IDLE_CALL_STATE);
    expect(booted.fake.globalShortcut.registered.size).toBe(0);
  });

  it('toggle-mute fires once per press even while the OS repeats a held key', async () => {
    const booted = await bootParley();
    await booted.invoke('settings:update', { shortcuts: config });
    await booted.invoke('call:update-state', IN_CALL);
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let repeat = 0; repeat < 5; repeat += 1) {
      booted.fake.globalShortcut.press(config.toggleMute);
      vi.advanceTimersByTime(40);
    }
    vi.advanceTimersByTime(1000);
    booted.fake.globalShortcut.press(config.toggleMute);
    expect(sentTo(booted, 'call:control')).toEqual([
      { action: 'toggle-microphone', source: 'shortcut' },
      { action: 'toggle-microphone', source: 'shortcut' },
    ]);
  });

  it('push-to-talk: talking while the key repeats, released when repeats stop', () => {
    vi.useFakeTimers();
    const globalShortcut = new FakeGlobalShortcut();
    const actions: string[] = [];
    const shortcuts = createShortcuts({
      globalShortcut,
      control: (action) => actions.push(action),
      platform: 'linux',
      keyHook: null,
      log: createMemoryLogger(),
    });
    shortcuts.apply(config, true);
    globalShortcut.press(config.pushToTalk);
    expect(actions).toEqual(['push-to-talk-start']);
    vi.advanceTimersByTime(500); // the OS's initial repeat delay
    for (let repeat = 0; repeat < 20; repeat += 1) {
      globalShortcut.press(config.pushToTalk);
      vi.advanceTimersByTime(35);
    }
    expect(actions).toEqual(['push-to-talk-start']);
    vi.advanceTimersByTime(200);
    expect(actions).toEqual(['push-to-talk-start', 'push-to-talk-end']);
  });

  it('push-to-talk ends when the call ends mid-press', () => {
    vi.useFakeTimers();
    const globalShortcut = new FakeGlobalShortcut();
    const actions: string[] = [];
    const shortcuts = createShortcuts({
      globalShortcut,
      control: (action) => actions.push(action),
      platform: 'linux',
      keyHook: null,
      log: createMemoryLogger(),
    });
    shortcuts.apply(config, true);
    globalShortcut.press(config.pushToTalk);
    shortcuts.apply(config, false);
    expect(actions).toEqual(['push-to-talk-start', 'push-to-talk-end']);
    expect(globalShortcut.registered.size).toBe(0);
  });

  it('macOS does not repeat a held shortcut: with the key hook, talking lasts until the key goes up', async () => {
    const keyHook = new FakeKeyHook();
    const booted = await bootParley({ platform: MACOS_15, loadKeyHook: async () => keyHook });
    booted.fake.globalShortcut.keyHook = keyHook;
    await booted.invoke('settings:update', { shortcuts: config });
    await booted.invoke('call:update-state', IN_CALL);
    vi.useFakeTimers();
    booted.fake.globalShortcut.keyDown(config.pushToTalk);
    // Long past the ~650 ms after which repeat inference would have given up on a key that never repeats.
    vi.advanceTimersByTime(3000);
    expect(sentTo(booted, 'call:control')).toEqual([{ action: 'push-to-talk-start', source: 'shortcut' }]);
    booted.fake.globalShortcut.keyUp(config.pushToTalk);
    expect(sentTo(booted, 'call:control')).toEqual([
      { action: 'push-to-talk-start', source: 'shortcut' },
      { action: 'push-to-talk-end', source: 'shortcut' },
    ]);
    expect(await booted.invoke('shortcuts:get-status')).toMatchObject({ value: { pushToTalkRelease: 'key-up' } });
  });

  it('macOS without a key hook: press to talk, press again to stop (never a cut-out mid-sentence)', async () => {
    const booted = await bootParley({ platform: MACOS_15 });
    await booted.invoke('settings:update', { shortcuts: config });
    await booted.invoke('call:update-state', IN_CALL);
    vi.useFakeTimers();
    booted.fake.globalShortcut.keyDown(config.pushToTalk);
    booted.fake.globalShortcut.keyUp(config.pushToTalk);
    vi.advanceTimersByTime(5000);
    expect(sentTo(booted, 'call:control')).toEqual([{ action: 'push-to-talk-start', source: 'shortcut' }]);
    booted.fake.globalShortcut.keyDown(config.pushToTalk);
    expect(sentTo(booted, 'call:control')).toEqual([
      { action: 'push-to-talk-start', source: 'shortcut' },
      { action: 'push-to-talk-end', source: 'shortcut' },
    ]);
    expect(await booted.invoke('shortcuts:get-status')).toMatchObject({ value: { pushToTalkRelease: 'press-again' } });
  });

  it('Linux/Windows with a key hook: repeats change nothing, the key going up ends it', async () => {
    const keyHook = new FakeKeyHook();
    const booted = await bootParley({ loadKeyHook: async () => keyHook });
    booted.fake.globalShortcut.keyHook = keyHook;
    await booted.invoke('settings:update', { shortcuts: config });
    await booted.invoke('call:update-state', IN_CALL);
    vi.useFakeTimers();
    booted.fake.globalShortcut.keyDown(config.pushToTalk);
    vi.advanceTimersByTime(2000);
    booted.fake.globalShortcut.keyUp(config.pushToTalk);
    expect(sentTo(booted, 'call:control')).toEqual([
      { action: 'push-to-talk-start', source: 'shortcut' },
      { action: 'push-to-talk-end', source: 'shortcut' },
    ]);
  });

  it('reports a shortcut another app owns as unavailable', async () => {
    const booted = await bootParley();
    booted.fake.globalShortcut.taken.add(config.toggleMute);
    await booted.invoke('call:update-state', IN_CALL);
    await booted.invoke('settings:update', { shortcuts: config });
    expect(await booted.invoke('shortcuts:get-status')).toEqual({
      ok: true,
      value: { pushToTalk: 'registered', toggleMute: 'unavailable', pushToTalkRelease: 'repeats-stop' },
    });
  });
});

describe('deep links', () => {
  it('parses parley://join/<server>/<room>', () => {
    expect(parseDeepLink('parley://join/meet.example.com/standup')).toEqual({ serverUrl: 'https://meet.example.com', room: 'standup' });
    expect(parseDeepLink('parley://join/meet.example.com:8443/team.sync')).toEqual({
      serverUrl: 'https://meet.example.com:8443',
      room: 'team.sync',
    });
    expect(parseDeepLink('parley://join/http%3A%2F%2F192.168.1.20%3A7800/standup')).toEqual({
      serverUrl: 'http://192.168.1.20:7800',
      room: 'standup',
    });
  });

  it('rejects anything else', () => {
    for (const link of [
      'parley://app/index.html',
      'parley://join/meet.example.com',
      'parley://join/meet.example.com/standup/extra',
      'parley://join/meet.example.com/..',
      'parley://join/file%3A%2F%2F%2Fetc/x',
      'parley://join/javascript%3Aalert(1)/x',
      'parley://join/https%3A%2F%2Fmeet.example.com%2Fpath/standup',
      'parley://join/meet.example.com/standup?token=steal',
      'parley://join/user%3Apass%40meet.example.com/standup',
      'https://join/meet.example.com/standup',
      'parley://join/meet.example.com/<script>',
    ]) {
      expect(parseDeepLink(link), link).toBeNull();
    }
    expect(findDeepLink(['/usr/bin/parley', '--flag', 'parley://join/a.example/b'])).toBe('parley://join/a.example/b');
  });

  const SAVED = [{ id: 'example', name: 'Example', url: 'https://meet.example.com' }];

  it('a link at launch waits for the renderer, then opens the join screen', async () => {
    const booted = await bootParley({ teamServers: SAVED, argv: ['/usr/bin/parley', 'parley://join/meet.example.com/standup'] });
    expect(sentTo(booted, 'app:navigate')).toEqual([]);
    await booted.invoke('app:ready');
    expect(sentTo(booted, 'app:navigate')).toEqual([
      { view: 'join', room: { serverUrl: 'https://meet.example.com', room: 'standup' }, source: 'deep-link' },
    ]);
  });

  it('a second launch hands its link to the first instance, which comes to the front', async () => {
    const booted = await bootParley({ teamServers: SAVED });
    await booted.invoke('app:ready');
    booted.main.minimize();
    booted.fake.app.emit('second-instance', {}, ['/usr/bin/parley', 'parley://join/meet.example.com/retro'], '/');
    expect(booted.main.isFocused()).toBe(true);
    expect(sentTo(booted, 'app:navigate')).toEqual([
      { view: 'join', room: { serverUrl: 'https://meet.example.com', room: 'retro' }, source: 'deep-link' },
    ]);
  });

  it('the second instance itself quits without opening anything', async () => {
    const { createFakeElectron } = await import('../../support/electron-fake');
    const fake = createFakeElectron();
    fake.app.singleInstanceLock = false;
    await expect(bootParley({ fake })).rejects.toThrow(/did not start/);
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.windows).toHaveLength(0);
  });

  it('macOS open-url works the same way', async () => {
    const booted = await bootParley();
    await booted.invoke('app:ready');
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    booted.fake.app.emit('open-url', event, 'parley://join/meet.example.com/design');
    expect(event.defaultPrevented).toBe(true);
    expect(sentTo(booted, 'app:navigate')).toHaveLength(1);
  });
});

describe('suspend, lock and network', () => {
  it('tells the renderer to recover after resume/unlock/network only during a call', async () => {
    const booted = await bootParley({ timings: { networkPollMs: 1000 } });
    booted.fake.powerMonitor.emit('suspend');
    booted.fake.powerMonitor.emit('resume');
    await booted.invoke('call:update-state', IN_CALL);
    booted.fake.powerMonitor.emit('lock-screen');
    booted.fake.powerMonitor.emit('unlock-screen');
    booted.fake.powerMonitor.emit('suspend');
    booted.fake.powerMonitor.emit('resume');
    expect(sentTo(booted, 'system:power')).toEqual([
      { kind: 'suspend', recoverCall: false },
      { kind: 'resume', recoverCall: false },
      { kind: 'lock-screen', recoverCall: false },
      { kind: 'unlock-screen', recoverCall: true },
      { kind: 'suspend', recoverCall: false },
      { kind: 'resume', recoverCall: true },
    ]);
  });

  it('never sends anything that turns devices back on', async () => {
    const booted = await bootParley();
    await booted.invoke('call:update-state', { ...IN_CALL, microphoneEnabled: false, cameraEnabled: false });
    booted.fake.powerMonitor.emit('suspend');
    booted.fake.powerMonitor.emit('resume');
    expect(sentTo(booted, 'call:control')).toEqual([]);
  });

  it('notices the network going away and coming back', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const booted = await bootParley({ timings: { networkPollMs: 1000 } });
    await booted.invoke('call:update-state', IN_CALL);
    booted.fake.online = false;
    vi.advanceTimersByTime(1000);
    booted.fake.online = true;
    vi.advanceTimersByTime(1000);
    expect(sentTo(booted, 'system:power')).toEqual([
      { kind: 'network-offline', recoverCall: false },
      { kind: 'network-online', recoverCall: true },
    ]);
  });

  it('keeps the display awake during a call only', async () => {
    const booted = await bootParley();
    await booted.invoke('call:update-state', IN_CALL);
    expect([...booted.fake.powerSaveBlocker.active.values()]).toEqual(['prevent-display-sleep']);
    await booted.invoke('call:update-state', IDLE_CALL_STATE);
    expect(booted.fake.powerSaveBlocker.active.size).toBe(0);
  });
});
