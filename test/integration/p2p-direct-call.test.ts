import { AccessToken } from 'livekit-server-sdk';
import { Track, type RemoteTrackPublication } from 'livekit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectCall } from '@renderer/lib/p2p/direct-call';
import { livekitSignaling } from '@renderer/lib/p2p/livekit-signaling';
import { createP2pLog, type P2pLogEntry } from '@renderer/lib/p2p/log';
import { encodeMessage, newSessionId, P2P_TOPIC } from '@renderer/lib/p2p/signaling';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin } from '../support/team-api';
import { connectWrtcPeer, installWrtcGlobals, type WrtcPeer } from '../support/wrtc-peer';
import wrtc from '@roamhq/wrtc';

// Parley's direct-call machinery (renderer/src/lib/p2p) on two Node peers, livekit-client over
// @roamhq/wrtc, through the real team server (join tokens with the room option) and livekit-server.

interface Parley {
  peer: WrtcPeer;
  direct: DirectCall;
  logs: P2pLogEntry[];
  identity: string;
}

function codes(p: Parley): string[] {
  return p.logs.filter((l) => l.level === 'warn').map((l) => l.code ?? '');
}

/** Waits for `check` with a generous deadline, polling: used for state with no event of its own. */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  await expect.poll(check, { timeout: timeoutMs, interval: 100, message: what }).toBe(true);
}

/** Packets the direct connection received for one medium of the other peer. */
async function directPackets(p: Parley, source: 'microphone' | 'camera'): Promise<number> {
  const pc = p.direct.connection;
  if (!pc) return 0;
  const track = pc.getTransceivers()[source === 'microphone' ? 0 : 1]?.receiver.track;
  let packets = 0;
  (await pc.getStats()).forEach((s: { type: string; trackIdentifier?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.trackIdentifier === track?.id) packets += s.packetsReceived ?? 0;
  });
  return packets;
}

describe('direct calls between two Node peers (livekit-client on @roamhq/wrtc)', () => {
  let stack: TestStack;
  const everyone: Parley[] = [];
  const extras: WrtcPeer[] = [];

  async function parley(join: { url: string; token: string; identity: string; directCalls?: boolean | undefined }): Promise<Parley> {
    installWrtcGlobals();
    const logs: P2pLogEntry[] = [];
    const peer = await connectWrtcPeer(join.url, join.token);
    const direct = new DirectCall(peer.room, {
      allowed: join.directCalls ?? true,
      log: createP2pLog((e) => logs.push(e)),
      RTCPeerConnection: wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
      connectTimeoutMs: 6000,
    });
    direct.start();
    await peer.publishSynthetic();
    const p = { peer, direct, logs, identity: join.identity };
    everyone.push(p);
    return p;
  }

  /** A participant outside the call's view (hidden), as a meddling client would be. */
  async function hidden(room: string): Promise<WrtcPeer> {
    const keys = stack.sfu!.keys;
    const at = new AccessToken(keys.apiKey, keys.apiSecret, { identity: 'meddler', ttl: 600 });
    at.addGrant({ room, roomJoin: true, hidden: true, canPublish: false, canPublishData: true, canSubscribe: false });
    const p = await connectWrtcPeer(stack.livekitUrl, await at.toJwt());
    extras.push(p);
    return p;
  }

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const p of everyone) p.direct.stop();
    await Promise.allSettled([...everyone.map((p) => p.peer.close()), ...extras.map((p) => p.close())]);
    await stack?.teardown();
  });

  it('two peers go direct: media arrives over their own connection and the SFU camera copy is dropped', async () => {
    const admin = await setupAdmin(stack, 'ann');
    const member = await addUser(stack, admin, 'ben');
    await admin.api.createRoom({ name: 'pair', title: 'Pair' });
    const a = await parley(await admin.api.joinRoom('pair'));
    const b = await parley(await member.api.joinRoom('pair'));
    for (const p of [a, b]) await until(() => p.direct.route === 'direct', `${p.identity} direct`);
    for (const [p, other] of [
      [a, b],
      [b, a],
    ] as const) {
      // Audio and video packets keep arriving on the direct connection...
      const start = await directPackets(p, 'microphone');
      await until(async () => (await directPackets(p, 'microphone')) > start + 50, 'direct audio');
      await until(async () => (await directPackets(p, 'camera')) > 20, 'direct video');
      // ...the view's tracks are the direct ones, and the SFU no longer sends ours to them.
      expect(p.direct.trackFor(other.identity, Track.Source.Microphone)?.sid).toMatch(/^direct:/);
      const pub = p.peer.room.remoteParticipants.get(other.identity)!.getTrackPublication(Track.Source.Camera) as RemoteTrackPublication;
      // Without adaptive stream (these Node peers) the SFU's camera copy is unsubscribed; the
      // microphone's stays subscribed, arriving unplayed, so a switch back never waits for it.
      await until(() => !pub.isDesired, 'SFU camera unsubscribed');
      expect(p.peer.room.remoteParticipants.get(other.identity)!.getTrackPublication(Track.Source.Microphone)?.isDesired).toBe(true);
    }
  });

  it('ignores signaling from the wrong sender, for a stale session, and garbage, with a log line each; the call stays direct', async () => {
    const [a, b] = everyone as [Parley, Parley];
    const meddler = await hidden('pair');
    const session = newSessionId();
    const send = (from: WrtcPeer, to: string, text: string) =>
      from.room.localParticipant.sendText(text, { topic: P2P_TOPIC, destinationIdentities: [to] });
    // Someone who is not the peer (a hidden participant) speaks for the session.
    await send(
      meddler,
      a.identity,
      encodeMessage({ t: 'ice', session, candidate: 'candidate:1 1 udp 1 10.0.0.9 9 typ host', sdpMid: '0', sdpMLineIndex: 0 }),
    );
    await send(meddler, a.identity, encodeMessage({ t: 'bye', session, reason: 'closed' }));
    // The peer, with a session that is not the live one, an SDP that is not one, and plain garbage.
    await send(b.peer, a.identity, encodeMessage({ t: 'switched', session }));
    await send(b.peer, a.identity, JSON.stringify({ t: 'offer', session, sdp: 'v=0 this is not an SDP' }));
    await send(b.peer, a.identity, JSON.stringify({ t: 'answer', session: 'x', sdp: 42 }));
    await send(b.peer, a.identity, '{not json');
    await send(b.peer, a.identity, 'x'.repeat(70_000));
    await until(
      () => ['P2P_WRONG_SENDER', 'P2P_UNKNOWN_SESSION', 'P2P_INVALID', 'P2P_NOT_JSON', 'P2P_TOO_LARGE'].every((c) => codes(a).includes(c)),
      `logged codes, got ${codes(a).join(',')}`,
    );
    if (!a.logs.some((l) => l.code === 'P2P_WRONG_SENDER' && l.from === 'meddler'))
      console.log(a.logs.map((l) => JSON.stringify(l)).join('\n'));
    // Each line says what was dropped and from whom (a hidden participant's identity reaches us blank).
    const line = a.logs.find((l) => l.code === 'P2P_WRONG_SENDER' && l.type === 'ice')!;
    expect(line).toMatchObject({ scope: 'p2p', level: 'warn', event: 'signal-ignored' });
    expect(line.from).not.toBe(b.identity);
    expect(a.logs.find((l) => l.code === 'P2P_INVALID')).toMatchObject({ from: b.identity, detail: expect.stringContaining('session') });
    // An offer while a session is live (garbage SDP or not) does not replace it: still direct, still flowing.
    expect(a.direct.route).toBe('direct');
    const before = await directPackets(a, 'microphone');
    await until(async () => (await directPackets(a, 'microphone')) > before + 50, 'direct audio after the noise');
  });

  it('a Parley peer goes direct only with another Parley client, and when ICE cannot connect the call stays on the SFU', async () => {
    const admin = await (await import('../support/team-api')).signIn(stack, 'ann');
    const cat = await addUser(stack, admin, 'cat');
    const dan = await addUser(stack, admin, 'dan');
    await admin.api.createRoom({ name: 'far', title: 'Far' });
    const p = await parley(await cat.api.joinRoom('far'));
    // Dan's client is plain LiveKit at first: no hello, so Cat's stays on the SFU with it.
    const joinD = await dan.api.joinRoom('far');
    const raw = await connectWrtcPeer(joinD.url, joinD.token);
    extras.push(raw);
    await raw.publishSynthetic();
    await until(() => p.logs.some((l) => l.event === 'decision' && l.why === 'not-parley'), 'not-parley decision');
    const cam = () =>
      p.peer.room.remoteParticipants.get(joinD.identity)?.getTrackPublication(Track.Source.Camera) as RemoteTrackPublication | undefined;
    await until(() => cam()?.isDesired === true, 'the plain client’s camera, asked of the SFU');

    // Now it speaks the protocol, first with an SDP that is none, then properly, but its candidates
    // never reach Cat and it ignores hers: there is no path between them.
    const signaling = livekitSignaling(raw.room);
    const pc = new wrtc.RTCPeerConnection();
    const garbage = 'v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nm=nonsense\r\n';
    let answered = 0;
    const rawOffers = joinD.identity < p.identity;
    const properOffer = async (): Promise<void> => {
      for (const kind of ['audio', 'video', 'video', 'audio'] as const) pc.addTransceiver(kind, { direction: 'sendrecv' });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      await signaling.send(p.identity, { t: 'offer', session: newSessionId(), sdp: offer.sdp!.replace(/^a=candidate:.*\r\n/gm, '') });
    };
    const onRaw = async (from: string, text: string): Promise<void> => {
      const m = JSON.parse(text) as { t: string; session: string; sdp?: string };
      if (m.t === 'offer' && m.sdp) {
        if (answered++ === 0) {
          await signaling.send(from, { t: 'answer', session: m.session, sdp: garbage });
          return;
        }
        // Her candidates are ignored, including any her offer carries.
        await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp.replace(/^a=candidate:.*\r\n/gm, '') });
        for (const t of pc.getTransceivers()) t.direction = 'sendrecv';
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        // No candidates go back, in the answer or after it.
        await signaling.send(from, { t: 'answer', session: m.session, sdp: answer.sdp!.replace(/^a=candidate:.*\r\n/gm, '') });
      }
      // Cat dropped the garbage offer and said so: now the real one.
      if (m.t === 'bye' && rawOffers && answered === 0) {
        answered = 1;
        await properOffer();
      }
    };
    signaling.onMessage((from, text) => void onRaw(from, text));
    await signaling.send(p.identity, { t: 'hello', v: 1, allow: true, ack: false });
    if (rawOffers) await signaling.send(p.identity, { t: 'offer', session: newSessionId(), sdp: garbage });
    await until(() => codes(p).includes('P2P_BAD_SDP'), 'garbage SDP refused');
    await until(() => codes(p).includes('P2P_CONNECT_TIMEOUT'), 'connect timeout', 40_000);
    pc.close();
    // Nobody noticed: still on the SFU, the view on LiveKit's own tracks, the SFU still asked for them.
    expect(p.direct.route).toBe('server');
    expect(p.direct.connection).toBeNull();
    expect(p.direct.trackFor(joinD.identity, Track.Source.Camera)).toBeUndefined();
    expect(cam()?.isDesired).toBe(true);
    // And it does not keep trying with a peer it failed with.
    await until(() => p.logs.some((l) => l.event === 'decision' && l.why === 'failed-before'), 'no retry with a failed peer');
  });

  it('a room with direct calls turned off stays on the SFU: the option travels in the join response and in the hello', async () => {
    const admin = await (await import('../support/team-api')).signIn(stack, 'ann');
    const eli = await addUser(stack, admin, 'eli');
    await admin.api.createRoom({ name: 'routed', title: 'Routed', options: { directCalls: false } });
    const joinA = await admin.api.joinRoom('routed');
    expect(joinA.directCalls).toBe(false);
    const a = await parley(joinA);
    // Eli's client is told the room allows it (an older join response, say): Ann's hello still says no.
    const b = await parley({ ...(await eli.api.joinRoom('routed')), directCalls: true });
    await until(() => a.logs.some((l) => l.event === 'decision' && l.why === 'option-off'), 'option-off at Ann');
    await until(() => b.logs.some((l) => l.event === 'decision' && l.why === 'peer-option-off'), 'peer-option-off at Eli');
    for (const p of [a, b]) {
      expect(p.direct.route).toBe('server');
      expect(p.logs.some((l) => l.event === 'session-start')).toBe(false);
    }
  });
});
