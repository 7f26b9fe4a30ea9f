// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrackStats } from '@renderer/lib/livekit/stats-sampler';
import { MeetingState } from '@renderer/lib/state/meeting.svelte';
import { fakeHost, fakeSource, INFO, person } from './fakes';
import MeetingHarness from './MeetingHarness.svelte';

beforeAll(() => {
  // jsdom lacks these; the stage measures itself and the share button needs getDisplayMedia.
  globalThis.ResizeObserver ??= class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  } as unknown as typeof ResizeObserver;
  Object.defineProperty(navigator, 'mediaDevices', {
    value: { getDisplayMedia: vi.fn(), addEventListener: vi.fn(), removeEventListener: vi.fn() },
    configurable: true,
  });
  // Svelte's transitions and animate:flip use the Web Animations API; the chat scrolls to the end.
  Element.prototype.getAnimations ??= () => [];
  Element.prototype.animate ??= function () {
    return { finished: Promise.resolve(), cancel() {}, finish() {}, onfinish: null } as unknown as Animation;
  };
  Element.prototype.scrollTo ??= function () {};
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});
afterEach(() => cleanup());

function setup(opts: { host?: boolean; onsettings?: () => void } = {}) {
  const me = person('me', { isLocal: true, name: 'Me', role: opts.host ? 'host' : 'member', micEnabled: true, cameraEnabled: true });
  const f = fakeSource([me, person('ada', { name: 'Ada', role: 'guest' })]);
  const h = fakeHost();
  const meeting = new MeetingState(f.source, INFO, opts.host ? h.host : null);
  const stop = meeting.start();
  const onleave = vi.fn();
  const r = render(MeetingHarness, { props: { meeting, onleave, ...(opts.onsettings ? { onsettings: opts.onsettings } : {}) } });
  return { ...r, f, h, meeting, onleave, stop };
}

const button = (name: string | RegExp) => screen.getByRole('button', { name });

// jsdom renders a whole meeting slowly on these shared 2-core machines.
describe('meeting controls', { timeout: 15_000 }, () => {
  it('offer a guest no screen share the SFU would refuse', async () => {
    const me = person('me', { isLocal: true, name: 'Gail (guest)', role: 'guest', canShareScreen: false });
    const f = fakeSource([me, person('ada', { name: 'Ada', role: 'host' })]);
    const meeting = new MeetingState(f.source, INFO, null);
    const stop = meeting.start();
    render(MeetingHarness, { props: { meeting, onleave: vi.fn() } });
    await tick();
    expect(screen.queryByRole('button', { name: 'Share screen' })).toBeNull();
    expect(button('Mute microphone')).toBeTruthy();
    stop();
  });

  it('name what each control does now, and flip after use', async () => {
    const { f } = setup();
    await fireEvent.click(button('Mute microphone'));
    expect(f.source.setMicrophone).toHaveBeenCalledWith(false);
    await tick();
    expect(button('Unmute microphone')).toBeTruthy();

    await fireEvent.click(button('Turn camera off'));
    await tick();
    expect(button('Turn camera on')).toBeTruthy();

    await fireEvent.click(button('Share screen'));
    await tick();
    expect(button('Stop sharing')).toBeTruthy();

    await fireEvent.click(button('Raise hand'));
    await tick();
    expect(button('Lower hand')).toBeTruthy();

    for (const name of ['Leave meeting', 'Open chat', 'Show participants', 'Send a reaction', 'More options'])
      expect(button(name)).toBeTruthy();
  });

  it('counts unread messages on the chat button and clears them when opened', async () => {
    const { f } = setup();
    f.chat({ id: '1', fromIdentity: 'ada', fromName: 'Ada', text: 'Hello there', at: 1, local: false });
    await tick();
    const chat = button('Open chat');
    expect(within(chat).getByText('1')).toBeTruthy();
    expect(chat.getAttribute('aria-describedby')).toBe('unread-count');
    await fireEvent.click(chat);
    await tick();
    expect(button('Close chat')).toBeTruthy();
    expect(screen.getByText('Hello there')).toBeTruthy();
    expect(screen.queryByTestId('unread')).toBeNull();
  });

  it('shows mute, speaking and hand on the tiles', async () => {
    const { f } = setup();
    f.update('ada', { micEnabled: false, handRaisedAt: 5 });
    await tick();
    const tile = screen.getByRole('group', { name: /^Ada/ });
    expect(tile.getAttribute('aria-label')).toBe('Ada, microphone muted, hand raised, number 1');
    f.update('ada', { micEnabled: true, speaking: true });
    await tick();
    expect(tile.getAttribute('aria-label')).toContain('speaking');
    expect(tile.dataset.speaking).toBe('true');
  });

  it('keyboard shortcuts toggle the microphone and open the help sheet', async () => {
    const { f } = setup();
    await fireEvent.keyDown(window, { code: 'KeyD', key: 'd', ctrlKey: true });
    expect(f.source.setMicrophone).toHaveBeenCalledWith(false);
    await fireEvent.keyDown(window, { code: 'Slash', key: '/', ctrlKey: true });
    await tick();
    expect(screen.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeTruthy();
    expect(screen.getByText('Turn microphone on or off')).toBeTruthy();
  });

  it('shows a reconnecting banner while the connection is being recovered', async () => {
    const { f } = setup();
    expect(screen.queryByTestId('reconnecting')).toBeNull();
    f.connection.set({ phase: 'reconnecting', endReason: null });
    await tick();
    expect(screen.getByTestId('reconnecting').textContent).toMatch(/Reconnecting/);
    f.connection.set({ phase: 'connected', endReason: null });
    await tick();
    expect(screen.queryByTestId('reconnecting')).toBeNull();
  });

  it('only hosts get remove, mute and end-for-all, and removing asks first', async () => {
    const guest = setup();
    await fireEvent.click(button('Show participants'));
    expect(screen.queryByRole('button', { name: 'Remove Ada from the meeting' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Leave or end meeting' })).toBeNull();
    guest.stop();
    cleanup();

    const { h } = setup({ host: true });
    await fireEvent.click(button('Show participants'));
    await fireEvent.click(button('Remove Ada from the meeting'));
    expect(h.host.remove).not.toHaveBeenCalled();
    await fireEvent.click(button('Confirm removing Ada'));
    expect(h.host.remove).toHaveBeenCalledWith('ada');
    await fireEvent.click(button('Mute Ada'));
    expect(h.host.mute).toHaveBeenCalledWith('ada', 'microphone');
    await fireEvent.click(button('Lock room'));
    expect(h.host.setLocked).toHaveBeenCalledWith(true);
    await fireEvent.click(button('Leave or end meeting'));
    await fireEvent.click(await screen.findByRole('menuitem', { name: 'End meeting for all' }));
    expect(h.host.end).toHaveBeenCalled();
  }, 20_000);

  it('leaving calls back', async () => {
    const { onleave } = setup();
    await fireEvent.click(button('Leave meeting'));
    expect(onleave).toHaveBeenCalled();
  });

  it('the stats panel shows the layer each remote video arrives in', async () => {
    const { f } = setup();
    const track: TrackStats = {
      ...{ bitrateKbps: 850, width: 1280, height: 720, fps: 30, codec: 'VP8', lossPercent: 0, jitterMs: 3, rttMs: 20 },
      ...{ key: 'ada/TR_v', identity: 'ada', participantName: 'Ada', source: 'camera', kind: 'video', direction: 'in', quality: 'good' },
      layer: { layer: 'high', width: 1280, height: 720, fps: 30, kbps: 850 },
    };
    f.stats.set({ tracks: [track], quality: { ada: 'good' }, route: 'server', videoPaused: false });
    await fireEvent.click(button('More options'));
    await fireEvent.click(await screen.findByRole('menuitem', { name: 'Show connection stats' }));
    await tick();
    // The panel is its own chunk: it appears once its import() resolves.
    const row = await screen.findByTestId('layer');
    expect(row.textContent).toContain('High · 1280×720 · 30 fps · 850 kbit/s');
  });

  it('connection problems are said in words: on the person’s tile, and to ourselves', async () => {
    const { f } = setup();
    const me = [...document.querySelectorAll('[data-identity]')].find((t) => t.getAttribute('aria-label')?.includes('(you)'));
    const myIdentity = me?.getAttribute('data-identity') ?? '';
    f.stats.set({ tracks: [], quality: { ada: 'poor', [myIdentity]: 'good' }, route: 'server', videoPaused: false });
    await tick();
    const tile = document.querySelector('[data-identity="ada"]') as HTMLElement;
    expect(within(tile).getByTestId('quality-note').textContent).toBe('Ada has a poor connection');
    expect(tile.getAttribute('aria-label')).toContain('Ada has a poor connection');
    expect(screen.queryByTestId('own-connection')).toBeNull();
    f.stats.set({ tracks: [], quality: { ada: 'good', [myIdentity]: 'poor' }, route: 'server', videoPaused: true });
    await tick();
    expect(within(tile).queryByTestId('quality-note')).toBeNull();
    expect(screen.getByTestId('own-connection').textContent).toBe('Your connection is losing packets — video paused to keep audio');
  });

  it('a participant whose media cannot be decrypted shows why on the tile', async () => {
    const { f } = setup();
    f.decryptionProblem({ code: 'E2EE_WRONG_KEY', message: "Can't decrypt Ada's media.", participant: 'ada' });
    await tick();
    const tile = document.querySelector('[data-identity="ada"]') as HTMLElement;
    expect(within(tile).getByRole('alert').textContent).toContain("Can't decrypt Ada's media.");
  });

  it('the more menu picks the screen-share mode and opens settings when there are any', async () => {
    const onsettings = vi.fn();
    const { meeting } = setup({ onsettings });
    await fireEvent.click(button('More options'));
    const motion = await screen.findByRole('menuitemradio', { name: 'Motion and video' });
    expect(motion.getAttribute('aria-checked')).toBe('false');
    await fireEvent.click(motion);
    expect(meeting.shareMode).toBe('motion');
    // Picking closes the menu; reopened, it shows the choice.
    await fireEvent.click(button('More options'));
    expect((await screen.findByRole('menuitemradio', { name: 'Motion and video' })).getAttribute('aria-checked')).toBe('true');
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Settings' }));
    expect(onsettings).toHaveBeenCalledOnce();
  });
});
