import { describe, expect, it } from 'vitest';
import { downlinkQuality, personQuality } from '@renderer/lib/livekit/stats-sampler';
import { fromLivekitQuality, qualityWords } from '@renderer/lib/quality';

describe('quality from LiveKit’s ConnectionQuality', () => {
  it('maps its four words onto our three', () => {
    expect(['excellent', 'good', 'poor', 'lost', 'unknown'].map((q) => fromLivekitQuality(q as never))).toEqual([
      'good',
      'good',
      'fair',
      'poor',
      'unknown',
    ]);
  });
});

describe('one person’s level', () => {
  it('ours: the worst of sending, receiving from everyone, and LiveKit’s score', () => {
    expect(personQuality({ isLocal: true, measured: 'good', livekit: 'excellent', reported: 'unknown', downlink: 'good' })).toBe('good');
    expect(personQuality({ isLocal: true, measured: 'fair', livekit: 'excellent', reported: 'unknown', downlink: 'good' })).toBe('fair');
    expect(personQuality({ isLocal: true, measured: 'good', livekit: 'excellent', reported: 'unknown', downlink: 'poor' })).toBe('poor');
    expect(personQuality({ isLocal: true, measured: 'good', livekit: 'lost', reported: 'unknown' })).toBe('poor');
  });
  it('someone else’s: what they report about themselves and LiveKit’s score, not the loss we see alone', () => {
    expect(personQuality({ isLocal: false, measured: 'poor', livekit: 'excellent', reported: 'good' })).toBe('good');
    expect(personQuality({ isLocal: false, measured: 'good', livekit: 'excellent', reported: 'poor' })).toBe('poor');
    // Another LiveKit client reports nothing: LiveKit's score speaks for it.
    expect(personQuality({ isLocal: false, measured: 'good', livekit: 'poor', reported: 'unknown' })).toBe('fair');
  });
  it('our downlink is bad only when streams from senders who are fine arrive bad', () => {
    expect(downlinkQuality([])).toBe('unknown');
    expect(downlinkQuality([{ level: 'poor', senderSays: 'poor' }])).toBe('unknown');
    expect(downlinkQuality([{ level: 'poor', senderSays: 'good' }])).toBe('poor');
    expect(
      downlinkQuality([
        { level: 'poor', senderSays: 'good' },
        { level: 'good', senderSays: 'unknown' },
      ]),
    ).toBe('good');
  });
});

describe('quality in words', () => {
  it('tells the person what is wrong, naming whose link it is', () => {
    expect(qualityWords('poor', { isLocal: true, name: 'Me' }, true)).toBe(
      'Your connection is losing packets — video paused to keep audio',
    );
    expect(qualityWords('poor', { isLocal: true, name: 'Me' }, false)).toBe('Your connection is losing packets');
    expect(qualityWords('fair', { isLocal: true, name: 'Me' })).toBe('Your connection is unstable — video may be blurry');
    expect(qualityWords('poor', { isLocal: false, name: 'Ada' })).toBe('Ada has a poor connection');
    expect(qualityWords('fair', { isLocal: false, name: 'Ada' })).toBe('Ada has an unstable connection');
    expect(qualityWords('good', { isLocal: false, name: 'Ada' })).toBeNull();
    expect(qualityWords('unknown', { isLocal: true, name: 'Me' })).toBeNull();
  });
});
