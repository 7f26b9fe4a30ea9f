import { describe, expect, it } from 'vitest';
import { chooseLayout, gridGeometry, pageCapacity, paginate, sameTiles, MAX_TILES_PER_PAGE } from '@renderer/lib/layout';
import { deriveRtp, readRtp, splitByTrack } from '@renderer/lib/livekit/rtp-stats';
import { classifyQuality, worstQuality } from '@renderer/lib/quality';
import { describeShortcut, matchShortcut, SHORTCUTS } from '@renderer/lib/shortcuts';
import { fakeTrack, person } from './fakes';

describe('classifyQuality (the issue’s thresholds, exactly)', () => {
  const q = (lossPercent: number | null, rttMs: number | null, jitterMs: number | null = null) =>
    classifyQuality({ lossPercent, rttMs, jitterMs });
  it('is good within the limits, including exactly at them', () => {
    expect(q(0, 20)).toBe('good');
    expect(q(2, 300)).toBe('good');
  });
  it('is fair above 2% loss or above 300 ms round trip', () => {
    expect(q(2.01, 20)).toBe('fair');
    expect(q(0, 301)).toBe('fair');
    expect(q(10, 20)).toBe('fair');
  });
  it('is poor above 10% loss, whatever the round trip', () => {
    expect(q(10.01, 20)).toBe('poor');
    expect(q(50, 900)).toBe('poor');
  });
  it('counts audio jitter above 30 ms as fair, never poor', () => {
    expect(q(0, 20, 30)).toBe('good');
    expect(q(0, 20, 31)).toBe('fair');
    expect(q(0, 20, 500)).toBe('fair');
  });
  it('is unknown until something was measured', () => {
    expect(q(null, null, null)).toBe('unknown');
    expect(q(null, 350)).toBe('fair');
  });
  it('a participant is as good as their worst track', () => {
    expect(worstQuality(['good', 'poor', 'fair'])).toBe('poor');
    expect(worstQuality([])).toBe('unknown');
  });
});

describe('chooseLayout', () => {
  const me = person('me', { isLocal: true });
  const ada = person('ada');
  const bob = person('bob');
  const base = { mode: 'auto' as const, pinned: null, shareOrder: [], lastSpeaker: null };

  it('is a grid of everyone by default, in the given (join) order', () => {
    const l = chooseLayout({ ...base, participants: [me, ada, bob] });
    expect(l).toEqual({ kind: 'grid', tiles: ['me', 'ada', 'bob'].map((id) => ({ key: `${id}:camera`, identity: id, kind: 'camera' })) });
  });
  it('puts someone else’s screen share on the stage, the newest when several share', () => {
    const sharingAda = { ...ada, screenTrack: fakeTrack('s1') };
    const sharingBob = { ...bob, screenTrack: fakeTrack('s2') };
    const l = chooseLayout({ ...base, participants: [me, sharingAda, sharingBob], shareOrder: ['bob:screen', 'ada:screen'] });
    expect(l.kind === 'focus' && l.focus.key).toBe('ada:screen');
    expect(l.kind === 'focus' && l.strip.map((t) => t.key)).toEqual(['bob:screen', 'me:camera', 'ada:camera', 'bob:camera']);
  });
  it('never spotlights your own screen for you', () => {
    const l = chooseLayout({ ...base, participants: [{ ...me, screenTrack: fakeTrack('s') }, ada] });
    expect(l.kind).toBe('grid');
  });
  it('a pin beats a share; grid mode ignores shares', () => {
    const ps = [me, { ...ada, screenTrack: fakeTrack('s') }, bob];
    const pinned = chooseLayout({ ...base, participants: ps, shareOrder: ['ada:screen'], pinned: 'bob:camera' });
    expect(pinned.kind === 'focus' && [pinned.focus.key, pinned.reason]).toEqual(['bob:camera', 'pin']);
    expect(chooseLayout({ ...base, participants: ps, shareOrder: ['ada:screen'], mode: 'grid' }).kind).toBe('grid');
  });
  it('speaker mode shows the last remote speaker large', () => {
    const l = chooseLayout({ ...base, participants: [me, ada, bob], mode: 'speaker', lastSpeaker: 'bob' });
    expect(l.kind === 'focus' && l.focus.key).toBe('bob:camera');
  });
});

describe('grid geometry and pages', () => {
  it('picks the column count that makes 16:9 tiles largest', () => {
    expect(gridGeometry(1, 1600, 900, 0)).toMatchObject({ cols: 1, rows: 1, tileWidth: 1600 });
    expect(gridGeometry(3, 1280, 720, 8)).toMatchObject({ cols: 2, rows: 2 });
    expect(gridGeometry(49, 1920, 1080, 8)).toMatchObject({ cols: 7, rows: 7 });
  });
  it('fits up to 49 tiles on a large screen and fewer on a small one', () => {
    expect(pageCapacity(1920, 1000, 160)).toBe(MAX_TILES_PER_PAGE);
    expect(pageCapacity(640, 500, 160)).toBeLessThan(16);
    expect(pageCapacity(100, 100, 160)).toBe(1);
  });
  it('pages beyond capacity and clamps the page', () => {
    const items = Array.from({ length: 60 }, (_, i) => i);
    expect(paginate(items, 0, 49)).toMatchObject({ pages: 2, page: 0 });
    expect(paginate(items, 1, 49).items).toHaveLength(11);
    expect(paginate(items, 9, 49).page).toBe(1);
    expect(paginate(items, 0, 100).items).toHaveLength(49);
  });
  it('keeps the same tile array while the tiles shown do not change', () => {
    const a = [{ key: 'a:camera' }, { key: 'b:camera' }];
    expect(sameTiles(a, [{ key: 'a:camera' }, { key: 'b:camera' }])).toBe(a);
    const moved = [{ key: 'b:camera' }, { key: 'a:camera' }];
    expect(sameTiles(a, moved)).toBe(moved);
    const fewer = [{ key: 'a:camera' }];
    expect(sameTiles(a, fewer)).toBe(fewer);
  });
});

describe('RTC stats parsing', () => {
  const codec = { type: 'codec', id: 'c1', mimeType: 'video/VP8' };
  it('derives bitrate and loss over the window between two samples', () => {
    const s1 = readRtp(
      [
        {
          type: 'inbound-rtp',
          id: 'i',
          timestamp: 1000,
          bytesReceived: 0,
          packetsReceived: 0,
          packetsLost: 0,
          jitter: 0.012,
          frameWidth: 640,
          frameHeight: 360,
          framesPerSecond: 30,
          codecId: 'c1',
        },
        codec,
        { type: 'candidate-pair', id: 'p', nominated: true, currentRoundTripTime: 0.05 },
      ],
      'in',
    )!;
    const s2 = readRtp(
      [
        {
          type: 'inbound-rtp',
          id: 'i',
          timestamp: 3000,
          bytesReceived: 250_000,
          packetsReceived: 950,
          packetsLost: 50,
          jitter: 0.02,
          frameWidth: 640,
          frameHeight: 360,
          framesPerSecond: 30,
          codecId: 'c1',
        },
        codec,
        { type: 'candidate-pair', id: 'p', nominated: true, currentRoundTripTime: 0.05 },
      ],
      'in',
    )!;
    const d = deriveRtp(s1, s2);
    expect(d.bitrateKbps).toBeCloseTo(1000);
    expect(d.lossPercent).toBeCloseTo(5);
    expect(d).toMatchObject({ jitterMs: 20, rttMs: 50, width: 640, height: 360, fps: 30, codec: 'VP8' });
    expect(deriveRtp(undefined, s1).bitrateKbps).toBeNull();
  });
  it('sums simulcast layers and reports what the far end says about loss and RTT', () => {
    const raw = readRtp(
      [
        { type: 'outbound-rtp', id: 'l', timestamp: 1, bytesSent: 100, packetsSent: 10, frameWidth: 320, frameHeight: 180 },
        {
          type: 'outbound-rtp',
          id: 'h',
          timestamp: 1,
          bytesSent: 900,
          packetsSent: 90,
          frameWidth: 1280,
          frameHeight: 720,
          framesPerSecond: 29,
        },
        { type: 'remote-inbound-rtp', id: 'r', roundTripTime: 0.4, fractionLost: 0.03, jitter: 0.005 },
      ],
      'out',
    )!;
    expect(raw).toMatchObject({ bytes: 1000, width: 1280, height: 720, fps: 29 });
    expect(deriveRtp(undefined, raw)).toMatchObject({ rttMs: 400, lossPercent: 3 });
  });
  it('counts what we had to send again as loss on our uplink, when the far end reports less', () => {
    const out = (packetsSent: number, retransmittedPacketsSent: number, fractionLost: number) =>
      readRtp(
        [
          { type: 'outbound-rtp', id: 'o', timestamp: packetsSent, bytesSent: packetsSent * 1000, packetsSent, retransmittedPacketsSent },
          { type: 'remote-inbound-rtp', id: 'r', roundTripTime: 0.02, fractionLost },
        ],
        'out',
      )!;
    // 15% dropped on the way, most of it filled by retransmissions: the report says 2%.
    expect(deriveRtp(out(1000, 20, 0), out(2000, 170, 0.02)).lossPercent).toBeCloseTo(15);
    // A clean link: nothing sent again, the report speaks.
    expect(deriveRtp(out(1000, 0, 0), out(2000, 0, 0.01)).lossPercent).toBeCloseTo(1);
  });
  it("splits one connection's report into per-track reports", () => {
    const pair = { type: 'candidate-pair', id: 'p', nominated: true, currentRoundTripTime: 0.05 };
    const inbound = splitByTrack(
      [
        pair,
        codec,
        {
          type: 'inbound-rtp',
          id: 'i1',
          trackIdentifier: 'cam',
          codecId: 'c1',
          timestamp: 1,
          bytesReceived: 10,
          packetsReceived: 1,
          frameWidth: 320,
        },
        { type: 'inbound-rtp', id: 'i2', trackIdentifier: 'mic', timestamp: 1, bytesReceived: 5, packetsReceived: 1 },
      ],
      'in',
    );
    expect([...inbound.keys()].sort()).toEqual(['cam', 'mic']);
    expect(readRtp(inbound.get('cam')!, 'in')).toMatchObject({ bytes: 10, width: 320, codec: 'VP8', rtt: 0.05 });
    expect(readRtp(inbound.get('mic')!, 'in')).toMatchObject({ bytes: 5, width: null });
    const outbound = splitByTrack(
      [
        { type: 'media-source', id: 'm', trackIdentifier: 'local-cam' },
        { type: 'outbound-rtp', id: 'l', mediaSourceId: 'm', timestamp: 1, bytesSent: 100, packetsSent: 10, frameWidth: 320 },
        { type: 'outbound-rtp', id: 'h', mediaSourceId: 'm', timestamp: 1, bytesSent: 900, packetsSent: 90, frameWidth: 1280 },
        { type: 'remote-inbound-rtp', id: 'r', localId: 'h', roundTripTime: 0.4, fractionLost: 0.03 },
        { type: 'remote-inbound-rtp', id: 'r2', localId: 'other', roundTripTime: 0.9 },
      ],
      'out',
    );
    expect(deriveRtp(undefined, readRtp(outbound.get('local-cam')!, 'out')!)).toMatchObject({ rttMs: 400, lossPercent: 3, width: 1280 });
  });
  it('ignores reports without RTP streams', () => {
    expect(readRtp([{ type: 'transport', id: 't' }], 'in')).toBeNull();
  });
});

describe('keyboard shortcuts', () => {
  const key = (code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
    code,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });
  it('uses Ctrl on Windows/Linux and ⌘ on macOS', () => {
    expect(matchShortcut(key('KeyD', { ctrlKey: true }), false)).toBe('microphone');
    expect(matchShortcut(key('KeyD', { metaKey: true }), true)).toBe('microphone');
    expect(matchShortcut(key('KeyD', { metaKey: true }), false)).toBeNull();
    expect(matchShortcut(key('KeyE', { ctrlKey: true }), false)).toBe('camera');
    expect(matchShortcut(key('KeyH', { ctrlKey: true, altKey: true }), false)).toBe('hand');
    expect(matchShortcut(key('KeyC', { ctrlKey: true, altKey: true }), false)).toBe('chat');
  });
  it('never fires on plain typing', () => {
    for (const s of SHORTCUTS) expect(matchShortcut(key(s.code), false)).toBeNull();
  });
  it('describes each for the help sheet', () => {
    expect(describeShortcut(SHORTCUTS[0]!, false)).toEqual(['Ctrl', 'D']);
    expect(describeShortcut(SHORTCUTS[2]!, true)).toEqual(['⌘', '⌥', 'H']);
  });
});
