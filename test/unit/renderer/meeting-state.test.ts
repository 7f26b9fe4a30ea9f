import { afterEach, describe, expect, it, vi } from 'vitest';
import { MeetingState } from '@renderer/lib/state/meeting.svelte';
import { endProblem, mediaProblem, apiProblem } from '@renderer/lib/problems';
import { fakeHost, fakeSource, fakeTrack, INFO, person } from './fakes';

const me = person('me', { isLocal: true, role: 'host', micEnabled: true, cameraEnabled: true });

describe('MeetingState', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('starts with the current participants and follows changes', () => {
    const f = fakeSource([me, person('ada')]);
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    expect(m.participants.map((p) => p.identity)).toEqual(['me', 'ada']);
    expect(m.isHost).toBe(true);
    f.participants.set([me, person('ada'), person('bob')]);
    expect(m.participants).toHaveLength(3);
  });

  it('keeps one shared hand queue in the order hands went up', () => {
    const f = fakeSource([me, person('ada', { handRaisedAt: 200 }), person('bob', { handRaisedAt: 100 })]);
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    expect(m.handQueue.map((p) => p.identity)).toEqual(['bob', 'ada']);
  });

  it('counts unread chat only while the chat is closed', () => {
    const f = fakeSource([me, person('ada')]);
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    const msg = (id: string) => ({ id, fromIdentity: 'ada', fromName: 'Ada', text: id, at: 1, local: false });
    f.chat(msg('a'));
    f.chat(msg('b'));
    expect(m.unread).toBe(2);
    m.togglePanel('chat');
    expect(m.unread).toBe(0);
    f.chat(msg('c'));
    expect(m.unread).toBe(0);
    expect(m.messages.map((x) => x.text)).toEqual(['a', 'b', 'c']);
  });

  it('shows your own sent message without an echo from the server', async () => {
    const f = fakeSource([me]);
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    expect(await m.sendChat('  hi  ')).toBe(true);
    expect(f.source.sendChat).toHaveBeenCalledWith('hi');
    expect(m.messages.map((x) => [x.text, x.local])).toEqual([['hi', true]]);
    expect(await m.sendChat('   ')).toBe(false);
  });

  it('spotlights a new share and drops a pin when its person leaves', () => {
    const f = fakeSource([me, person('ada'), person('bob')]);
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    f.update('ada', { screenTrack: fakeTrack('s') });
    expect(m.layout.kind === 'focus' && m.layout.focus.key).toBe('ada:screen');
    m.togglePin('bob:camera');
    expect(m.layout.kind === 'focus' && m.layout.focus.key).toBe('bob:camera');
    f.participants.set([me, person('ada')]);
    expect(m.pinned).toBeNull();
  });

  it('turns a failed camera into an actionable notice', async () => {
    const f = fakeSource([me]);
    f.source.setCamera.mockRejectedValueOnce(Object.assign(new Error('Could not start video source'), { name: 'NotReadableError' }));
    const m = new MeetingState(f.source, INFO);
    stop = m.start();
    await m.toggleCamera();
    expect(m.notice?.kind).toBe('device-in-use');
    expect(m.notice?.message).toMatch(/Another app is using the camera/);
  });

  it('reports reactions and removes them after a few seconds', () => {
    vi.useFakeTimers();
    try {
      const f = fakeSource([me, person('ada')]);
      const m = new MeetingState(f.source, INFO);
      stop = m.start();
      f.react({ id: 'r1', fromIdentity: 'ada', fromName: 'Ada', emoji: '🎉', at: 1 });
      expect(m.reactions.map((r) => r.emoji)).toEqual(['🎉']);
      vi.advanceTimersByTime(4100);
      expect(m.reactions).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hosts see the lobby, announce new guests, and admit through the team server', async () => {
    const f = fakeSource([me]);
    const h = fakeHost([]);
    const lobbyGuest = vi.fn();
    const m = new MeetingState(f.source, INFO, h.host, { lobbyGuest });
    stop = m.start();
    const entry = { id: 'abc123', room: 'standup', displayName: 'Linus', createdAt: '2026-01-01T00:00:00Z' };
    h.setLobby([entry]);
    expect(m.lobby).toEqual([entry]);
    expect(lobbyGuest).toHaveBeenCalledWith(entry);
    await m.admit('abc123');
    expect(h.host.admit).toHaveBeenCalledWith('abc123');
    expect(m.lobby).toEqual([]);
  });

  it('a failed host action explains itself', async () => {
    const f = fakeSource([me, person('ada')]);
    const h = fakeHost();
    h.host.remove.mockRejectedValueOnce(Object.assign(new Error('x'), { name: 'ApiError', status: 403, code: 'FORBIDDEN' }));
    const m = new MeetingState(f.source, INFO, h.host);
    stop = m.start();
    await m.removeParticipant('ada');
    expect(m.notice?.title).toMatch(/^Couldn't remove/);
  });

  it('follows the recording state and says when it starts and stops; a late joiner is told at once', async () => {
    const f = fakeSource([me, person('ada')]);
    const h = fakeHost();
    const m = new MeetingState(f.source, INFO, h.host);
    stop = m.start();
    expect(m.recording).toBe(false);
    expect(m.announcement).toBeNull();
    await m.toggleRecording();
    expect(h.host.startRecording).toHaveBeenCalledOnce();
    f.recording.set(true);
    expect(m.recording).toBe(true);
    expect(m.announcement).toMatch(/^Recording started/);
    await m.toggleRecording();
    expect(h.host.stopRecording).toHaveBeenCalledOnce();
    f.recording.set(false);
    expect(m.announcement).toBe('Recording stopped.');

    const late = fakeSource([me]);
    late.recording.set(true);
    const joined = new MeetingState(late.source, INFO);
    const stopLate = joined.start();
    expect(joined.recording).toBe(true);
    expect(joined.announcement).toMatch(/being recorded/);
    stopLate();
  });

  it('a refused recording start explains itself', async () => {
    const f = fakeSource([me]);
    const h = fakeHost();
    h.host.startRecording.mockRejectedValueOnce(
      Object.assign(new Error('recording is turned off for this room'), { name: 'ApiError', status: 403, code: 'RECORDING_NOT_ALLOWED' }),
    );
    const m = new MeetingState(f.source, INFO, h.host);
    stop = m.start();
    await m.toggleRecording();
    expect(m.notice?.title).toMatch(/^Couldn't start recording/);
    expect(m.recordingPending).toBe(false);
  });

  it('stops listening when cleaned up', () => {
    const f = fakeSource([me]);
    const m = new MeetingState(f.source, INFO);
    m.start()();
    f.participants.set([me, person('late')]);
    expect(m.participants).toHaveLength(1);
  });
});

describe('problems', () => {
  it('names the device and the fix', () => {
    expect(mediaProblem(Object.assign(new Error('denied'), { name: 'NotAllowedError' }), 'microphone')).toMatchObject({
      kind: 'permission-denied',
      title: "Parley can't use your microphone",
    });
    expect(mediaProblem(Object.assign(new Error('none'), { name: 'NotFoundError' }), 'camera').kind).toBe('device-missing');
  });
  it('maps server refusals', () => {
    const err = (code: string, status = 403) => Object.assign(new Error(code), { name: 'ApiError', code, status });
    expect(apiProblem(err('ROOM_FULL')).kind).toBe('room-full');
    expect(apiProblem(err('ROOM_LOCKED')).kind).toBe('room-locked');
    expect(apiProblem(err('NETWORK', 0), 'https://x').message).toContain('https://x');
  });
  it('says why a meeting ended, and nothing when you left', () => {
    expect(endProblem('removed')?.title).toBe('A host removed you from the meeting');
    expect(endProblem('ended')?.title).toBe('The meeting has ended');
    expect(endProblem('left')).toBeNull();
  });
});
