import { DisconnectReason, RoomEvent, TrackSource, type Participant as RtcParticipant, type TrackPublication } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@contracts/api-client';
import { NodeParticipant } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, anonymous, eventually, EventRecorder, nextEmission, setupAdmin, signIn, type SignedIn } from '../../support/team-api';

/** Host controls, lobby, events and history against the real livekit-server. One stack for the file. */
describe('team server with the real SFU', () => {
  let stack: TestStack;
  let admin: SignedIn;
  let host: SignedIn;
  let member: SignedIn;
  const people: NodeParticipant[] = [];
  const recorders: EventRecorder[] = [];

  const participant = () => {
    const p = new NodeParticipant();
    people.push(p);
    return p;
  };

  beforeAll(async () => {
    stack = await startStack();
    admin = await setupAdmin(stack);
    host = await addUser(stack, admin, 'hannah');
    member = await addUser(stack, admin, 'mike');
  });
  afterAll(async () => {
    for (const r of recorders) r.stop();
    await Promise.allSettled(people.map((p) => p.disconnect()));
    await stack?.teardown();
  });

  it('gives hosts roomAdmin and everyone role and name attributes; two devices of one user coexist', async () => {
    await host.api.createRoom({ name: 'attrs', title: 'Attributes' });
    const hostJoin = await host.api.joinRoom('attrs');
    const laptop = await member.api.joinRoom('attrs');
    const phoneSession = await signIn(stack, 'mike');
    const phone = await phoneSession.api.joinRoom('attrs');
    expect(hostJoin.role).toBe('host');
    const hostGrant = (JSON.parse(Buffer.from(hostJoin.token.split('.')[1]!, 'base64url').toString()) as { video: Record<string, unknown> })
      .video;
    expect(hostGrant).toMatchObject({ room: 'attrs', roomAdmin: true });
    expect(hostGrant.roomList ?? false).toBe(false);
    expect(hostGrant.roomCreate ?? false).toBe(false);
    expect(laptop.role).toBe('member');
    expect(laptop.identity).toMatch(new RegExp(`^u:${member.user.id}:`));
    expect(phone.identity).not.toBe(laptop.identity);
    // Same device, same identity: a rejoin replaces its own old connection.
    expect((await member.api.joinRoom('attrs')).identity).toBe(laptop.identity);

    const h = participant();
    const a = participant();
    const b = participant();
    await h.connect(hostJoin.url, hostJoin.token);
    await a.connect(laptop.url, laptop.token);
    await b.connect(phone.url, phone.token);
    const seen = await eventually(() => {
      const r = h.room.remoteParticipants;
      return r.has(laptop.identity) && r.has(phone.identity) ? r : undefined;
    }, 'both of mike’s devices in the room');
    const mike = seen.get(laptop.identity)!;
    expect(mike.name).toBe('Mike');
    expect(mike.attributes).toMatchObject({ role: 'member', displayName: 'Mike', userId: member.user.id });
    expect(a.room.isConnected && b.room.isConnected).toBe(true);

    const listed = await member.api.getRoom('attrs');
    expect(listed.participants.map((p) => p.identity).sort()).toEqual([hostJoin.identity, laptop.identity, phone.identity].sort());
    expect(listed.participants.find((p) => p.identity === hostJoin.identity)?.role).toBe('host');
    await Promise.all([h.disconnect(), a.disconnect(), b.disconnect()]);
  });

  it('a host mutes and removes a participant, who observes both; members cannot', async () => {
    await host.api.createRoom({ name: 'controls', title: 'Controls' });
    const target = await member.api.joinRoom('controls');
    const p = participant();
    await p.connect(target.url, target.token);
    await p.publishSynthetic({ r: 10, g: 200, b: 10 });
    await eventually(async () => ((await host.api.getRoom('controls')).participants.length === 1 ? true : undefined), 'participant listed');

    await expect(member.api.muteParticipant('controls', target.identity, 'microphone')).rejects.toMatchObject({ status: 403 });
    const muted = nextEmission<[TrackPublication, RtcParticipant]>(
      p.room,
      RoomEvent.TrackMuted,
      (pub, who) => who.identity === target.identity && pub.source === TrackSource.SOURCE_MICROPHONE,
    );
    // The SFU lists a track a moment after publishTrack resolves: retry while it says "no such track".
    await eventually(
      () => host.api.muteParticipant('controls', target.identity, 'microphone').then(() => true),
      'the microphone to be mutable',
    );
    const [pub] = await muted;
    expect(pub.muted).toBe(true);
    await expect(host.api.muteParticipant('controls', target.identity, 'screen_share')).rejects.toMatchObject({
      status: 404,
      code: 'TRACK_NOT_FOUND',
    });

    const gone = nextEmission<[DisconnectReason]>(p.room, RoomEvent.Disconnected, () => true);
    await host.api.removeParticipant('controls', target.identity);
    const [reason] = await gone;
    expect(reason).toBe(DisconnectReason.PARTICIPANT_REMOVED);
    await expect(host.api.removeParticipant('controls', target.identity)).rejects.toMatchObject({
      status: 404,
      code: 'PARTICIPANT_NOT_FOUND',
    });
  });

  it('ending the meeting disconnects everyone, and the webhooks record the meeting history', async () => {
    await host.api.createRoom({ name: 'retro', title: 'Retro' });
    const hj = await host.api.joinRoom('retro');
    const mj = await member.api.joinRoom('retro');
    const h = participant();
    const m = participant();
    await h.connect(hj.url, hj.token);
    await m.connect(mj.url, mj.token);
    const endings = [h, m].map((x) => nextEmission<[DisconnectReason]>(x.room, RoomEvent.Disconnected, () => true));
    await host.api.endMeeting('retro');
    const reasons = (await Promise.all(endings)).map(([r]) => r);
    expect(reasons).toEqual([DisconnectReason.ROOM_DELETED, DisconnectReason.ROOM_DELETED]);

    const meeting = await eventually(async () => {
      const { meetings } = await member.api.listMeetings({ room: 'retro' });
      return meetings[0]?.endedAt ? meetings[0] : undefined;
    }, 'room_finished recorded');
    expect(meeting.attendance.map((a) => a.identity).sort()).toEqual([hj.identity, mj.identity].sort());
    for (const a of meeting.attendance) {
      expect(a.leftAt).not.toBeNull();
      expect(a.durationSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(meeting.attendance.find((a) => a.identity === hj.identity)).toMatchObject({
      role: 'host',
      displayName: 'Hannah',
      userId: host.user.id,
    });
    expect(Date.parse(meeting.endedAt!)).toBeGreaterThanOrEqual(Date.parse(meeting.startedAt));
  });

  it('a lobby guest gets a token only after admission, and the host is told over the event stream', async () => {
    await host.api.createRoom({ name: 'clinic', title: 'Clinic', options: { lobby: true, allowGuests: true, e2ee: 'room-key' } });
    const events = new EventRecorder(host.api);
    recorders.push(events);
    await events.waitFor((e) => e.type === 'ready', 'ready');
    const link = await host.api.createGuestLink('clinic');
    const code = new URL(link.url.replace('/#/', '/')).pathname.split('/').pop()!;
    expect(code).toBe(link.code);

    const guest = anonymous(stack);
    const waiting = await guest.guestJoin(link.code, 'Gail Guest');
    expect(waiting.status).toBe('waiting');
    if (waiting.status !== 'waiting') return;
    expect(waiting).not.toHaveProperty('token');
    const told = await events.waitFor((e) => e.type === 'lobby.waiting' && e.room === 'clinic', 'lobby.waiting');
    if (told.type !== 'lobby.waiting') throw new Error('unreachable');
    expect(told.entry.displayName).toBe('Gail Guest');

    // Before a decision the long poll ends with "waiting" and no token.
    expect(await guest.guestTicket(waiting.ticket, 0)).toEqual({ status: 'waiting' });
    // A member who is not a host cannot admit.
    await expect(member.api.admitGuest('clinic', told.entry.id)).rejects.toMatchObject({ status: 403 });
    // The guest's secret ticket is not the id hosts use.
    await expect(host.api.admitGuest('clinic', waiting.ticket)).rejects.toBeInstanceOf(ApiError);

    const polled = guest.guestTicket(waiting.ticket, 20);
    await host.api.admitGuest('clinic', told.entry.id);
    const admitted = await polled;
    expect(admitted.status).toBe('admitted');
    if (admitted.status !== 'admitted') return;
    expect(admitted.e2ee).toBe('room-key');
    expect(admitted.e2eeKey).toBe((await host.api.joinRoom('clinic')).e2eeKey);

    const g = participant();
    await g.connect(admitted.url, admitted.token);
    expect(g.room.localParticipant?.attributes).toMatchObject({ role: 'guest', displayName: 'Gail Guest (guest)' });
    // No admin grant for guests, and their LiveKit token is no session on the team API.
    const grants = JSON.parse(Buffer.from(admitted.token.split('.')[1]!, 'base64url').toString()) as { video: Record<string, unknown> };
    expect(grants.video).toMatchObject({ room: 'clinic', roomJoin: true });
    expect(grants.video.roomAdmin).toBeUndefined();
    expect(grants.video.roomList).toBeUndefined();
    await expect(createClientWith(admitted.token).listRooms()).rejects.toMatchObject({ status: 401 });

    // Denied guests learn it; a locked room admits nobody new.
    const second = await guest.guestJoin(link.code, 'Dan Denied');
    if (second.status !== 'waiting') throw new Error('expected to wait');
    const entry2 = await events.waitFor((e) => e.type === 'lobby.waiting' && e.entry.displayName === 'Dan Denied', 'second waiting');
    if (entry2.type !== 'lobby.waiting') throw new Error('unreachable');
    await host.api.denyGuest('clinic', entry2.entry.id);
    expect(await guest.guestTicket(second.ticket, 5)).toEqual({ status: 'denied' });
    await host.api.lockRoom('clinic');
    await expect(guest.guestJoin(link.code, 'Late Larry')).rejects.toMatchObject({ status: 403, code: 'ROOM_LOCKED' });
    await expect(member.api.joinRoom('clinic')).rejects.toMatchObject({ status: 403, code: 'ROOM_LOCKED' });
    await host.api.unlockRoom('clinic');
    await g.disconnect();
  });

  it('tells members in a room when someone joins, and everyone when a meeting starts', async () => {
    await host.api.createRoom({ name: 'pairing', title: 'Pairing' });
    const memberEvents = new EventRecorder(member.api);
    recorders.push(memberEvents);
    await memberEvents.waitFor((e) => e.type === 'ready', 'ready');
    const mj = await member.api.joinRoom('pairing');
    const m = participant();
    await m.connect(mj.url, mj.token);
    await memberEvents.waitFor((e) => e.type === 'meeting.started' && e.room === 'pairing', 'meeting.started');
    const hj = await host.api.joinRoom('pairing');
    const h = participant();
    await h.connect(hj.url, hj.token);
    const joined = await memberEvents.waitFor(
      (e) => e.type === 'participant.joined' && e.participant.identity === hj.identity,
      'participant.joined',
    );
    if (joined.type !== 'participant.joined') throw new Error('unreachable');
    expect(joined.participant).toMatchObject({ displayName: 'Hannah', role: 'host' });
    await h.disconnect();
    await memberEvents.waitFor((e) => e.type === 'participant.left' && e.participant.identity === hj.identity, 'participant.left');
    await m.disconnect();
  });

  it('disabling a user stops their session, their joins and their presence at once', async () => {
    const victim = await addUser(stack, admin, 'vera');
    await host.api.createRoom({ name: 'allhands', title: 'All hands' });
    const vj = await victim.api.joinRoom('allhands');
    const v = participant();
    await v.connect(vj.url, vj.token);
    const events = new EventRecorder(victim.api);
    recorders.push(events);
    await events.waitFor((e) => e.type === 'ready', 'ready');
    const kicked = nextEmission<[DisconnectReason]>(v.room, RoomEvent.Disconnected, () => true);

    await admin.api.updateUser(victim.user.id, { disabled: true });
    await expect(victim.api.me()).rejects.toMatchObject({ status: 401 });
    await expect(victim.api.joinRoom('allhands')).rejects.toMatchObject({ status: 401 });
    await expect(signIn(stack, 'vera')).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    const [reason] = await kicked;
    expect(reason).toBe(DisconnectReason.PARTICIPANT_REMOVED);

    // Re-enabling does not revive old sessions.
    await admin.api.updateUser(victim.user.id, { disabled: false });
    await expect(victim.api.me()).rejects.toMatchObject({ status: 401 });
    expect((await signIn(stack, 'vera')).user.disabled).toBe(false);
  });

  it('reports ready only with the database and the SFU', async () => {
    expect(await anonymous(stack).readyz()).toEqual({ ok: true, checks: { database: true, sfu: true } });
  });

  function createClientWith(token: string) {
    const api = anonymous(stack);
    api.setToken(token);
    return api;
  }
});
