import { describe, expect, it } from 'vitest';
import { personQuality } from '@renderer/lib/livekit/stats-sampler';
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
  it('ours: the worse of what we measure sending and LiveKit’s score of us', () => {
    expect(personQuality({ isLocal: true, measured: 'good', livekit: 'excellent', reported: 'unknown' })).toBe('good');
    expect(personQuality({ isLocal: true, measured: 'fair', livekit: 'excellent', reported: 'unknown' })).toBe('fair');
    expect(personQuality({ isLocal: true, measured: 'poor', livekit: 'good', reported: 'unknown' })).toBe('poor');
    // What reaches us badly: LiveKit scores our leg of each stream it forwards, and says so.
    expect(personQuality({ isLocal: true, measured: 'good', livekit: 'poor', reported: 'unknown' })).toBe('fair');
    expect(personQuality({ isLocal: true, measured: 'good', livekit: 'lost', reported: 'unknown' })).toBe('poor');
  });
  it('ours never takes the blame for a lossy sender: a clean watcher stays good', () => {
    // A watcher with a clean link receives a stream 15% lossy from its sender; the SFU scores the
    // watcher's own leg excellent. Before, that stream's loss read as "Your connection is unstable".
    const watcher = personQuality({ isLocal: true, measured: 'good', livekit: 'excellent', reported: 'unknown' });
    expect(watcher).toBe('good');
    expect(qualityWords(watcher, { isLocal: true, name: 'Watcher' })).toBeNull();
    // The sender is the one named, at the watcher, from their own report.
    const sender = personQuality({ isLocal: false, measured: 'poor', livekit: 'good', reported: 'poor' });
    expect(qualityWords(sender, { isLocal: false, name: 'Ada' })).toBe('Ada has a poor connection');
  });
  it('someone else’s: what they report about themselves and LiveKit’s score, not the loss we see alone', () => {
    expect(personQuality({ isLocal: false, measured: 'poor', livekit: 'excellent', reported: 'good' })).toBe('good');
    expect(personQuality({ isLocal: false, measured: 'good', livekit: 'excellent', reported: 'poor' })).toBe('poor');
    // Another LiveKit client reports nothing: LiveKit's score speaks for it.
    expect(personQuality({ isLocal: false, measured: 'good', livekit: 'poor', reported: 'unknown' })).toBe('fair');
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
