import { describe, expect, it } from 'vitest';
import { deriveAuthKey, signSdp, verifySdp } from '@renderer/lib/p2p/auth';
import { chooseSourcePath, decideDirectCall, isOfferer, STALL_MS, type DirectCallInput } from '@renderer/lib/p2p/policy';
import { decodeMessage, encodeMessage, MAX_MESSAGE_CHARS, newSessionId } from '@renderer/lib/p2p/signaling';

const session = newSessionId();

describe('the signaling codec', () => {
  it('round-trips every message kind', () => {
    const messages = [
      { t: 'hello', v: 1, allow: true, ack: false },
      { t: 'offer', session, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n', mac: 'abc=' },
      { t: 'answer', session, sdp: 'v=0\r\n' },
      { t: 'ice', session, candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
      { t: 'switched', session },
      { t: 'bye', session, reason: 'failed' },
    ] as const;
    for (const m of messages) expect(decodeMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
  });

  it.each([
    ['not JSON', '{oops', 'P2P_NOT_JSON'],
    ['too large', 'x'.repeat(MAX_MESSAGE_CHARS + 1), 'P2P_TOO_LARGE'],
    ['an unknown type', JSON.stringify({ t: 'takeover', session }), 'P2P_INVALID'],
    ['an SDP that is not one', JSON.stringify({ t: 'offer', session, sdp: '<html>' }), 'P2P_INVALID'],
    ['a session id that is not one', JSON.stringify({ t: 'switched', session: '../../etc' }), 'P2P_INVALID'],
    ['extra fields', JSON.stringify({ t: 'switched', session, admin: true }), 'P2P_INVALID'],
    [
      'a candidate index out of range',
      JSON.stringify({ t: 'ice', session, candidate: 'c', sdpMid: null, sdpMLineIndex: 99 }),
      'P2P_INVALID',
    ],
    ['a bye with a made-up reason', JSON.stringify({ t: 'bye', session, reason: 'because' }), 'P2P_INVALID'],
  ])('refuses %s with a code', (_what, text, code) => {
    const r = decodeMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('makes session ids that the codec accepts and that differ', () => {
    const ids = new Set(Array.from({ length: 50 }, newSessionId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(decodeMessage(encodeMessage({ t: 'switched', session: id })).ok).toBe(true);
  });
});

describe('when a call goes direct', () => {
  const base: DirectCallInput = {
    connected: true,
    allowedHere: true,
    remotes: [{ identity: 'bob', standard: true }],
    hellos: new Map([['bob', { allow: true }]]),
    failed: new Set(),
    authReady: true,
  };

  it('goes direct for exactly two Parley clients that both allow it', () => {
    expect(decideDirectCall(base)).toEqual({ direct: true, peer: 'bob' });
  });

  it.each<[string, Partial<DirectCallInput>, string]>([
    ['not connected', { connected: false }, 'not-connected'],
    ['the room option is off here', { allowedHere: false }, 'option-off'],
    ['alone', { remotes: [] }, 'not-two'],
    [
      'a third person',
      {
        remotes: [
          { identity: 'bob', standard: true },
          { identity: 'cy', standard: true },
        ],
      },
      'not-two',
    ],
    ['a LiveKit client that never said hello', { hellos: new Map() }, 'not-parley'],
    ['an agent', { remotes: [{ identity: 'bob', standard: false }] }, 'not-parley'],
    ['the other side’s room option is off', { hellos: new Map([['bob', { allow: false }]]) }, 'peer-option-off'],
    ['a direct connection failed with them before', { failed: new Set(['bob']) }, 'failed-before'],
    ['the encrypted room’s key is not ready', { authReady: false }, 'auth-not-ready'],
  ])('stays on the SFU when %s', (_what, change, why) => {
    expect(decideDirectCall({ ...base, ...change })).toEqual({ direct: false, why });
  });

  it('lets exactly one side offer', () => {
    expect(isOfferer('a', 'b')).toBe(true);
    expect(isOfferer('b', 'a')).toBe(false);
  });
});

describe('which path a medium is received on', () => {
  const t0 = 10_000;
  const s = { now: t0 + 100, directUp: true, using: 'sfu' as const, live: true, liveSince: 0, connectedAt: t0, lastDirectPacketAt: 0 };

  it('moves to direct only once direct packets arrived', () => {
    expect(chooseSourcePath(s)).toBe('sfu');
    expect(chooseSourcePath({ ...s, lastDirectPacketAt: t0 + 50 })).toBe('direct');
  });

  it('starts direct for a medium that went live while the connection was up (a new screen share)', () => {
    expect(chooseSourcePath({ ...s, liveSince: t0 + 50 })).toBe('direct');
  });

  it('falls back to the SFU when direct stalls, and never while the connection is not up or on the way out', () => {
    const direct = { ...s, using: 'direct' as const, lastDirectPacketAt: t0 + 50 };
    expect(chooseSourcePath({ ...direct, now: t0 + 50 + STALL_MS - 1 })).toBe('direct');
    expect(chooseSourcePath({ ...direct, now: t0 + 50 + STALL_MS + 1 })).toBe('sfu');
    expect(chooseSourcePath({ ...direct, directUp: false })).toBe('sfu');
  });

  it('keeps a muted medium where it is', () => {
    expect(chooseSourcePath({ ...s, using: 'direct', live: false, now: t0 + 60_000 })).toBe('direct');
  });
});

describe('SDP authentication in encrypted rooms', () => {
  const fields = { session, kind: 'offer' as const, from: 'ada', to: 'bob', sdp: 'v=0\r\na=fingerprint:sha-256 AA:BB\r\n' };

  it('verifies with the same passphrase and room, and nothing else', async () => {
    const key = await deriveAuthKey({ mode: 'passphrase', passphrase: 'correct horse battery' }, 'standup');
    const mac = await signSdp(key, fields);
    expect(await verifySdp(key, fields, mac)).toBe(true);
    const other = await deriveAuthKey({ mode: 'passphrase', passphrase: 'wrong horse battery' }, 'standup');
    expect(await verifySdp(other, fields, mac)).toBe(false);
    const otherRoom = await deriveAuthKey({ mode: 'passphrase', passphrase: 'correct horse battery' }, 'retro');
    expect(await verifySdp(otherRoom, fields, mac)).toBe(false);
    // A swapped fingerprint, a message turned around, or no MAC at all: refused.
    expect(await verifySdp(key, { ...fields, sdp: fields.sdp.replace('AA', 'CC') }, mac)).toBe(false);
    expect(await verifySdp(key, { ...fields, from: 'bob', to: 'ada' }, mac)).toBe(false);
    expect(await verifySdp(key, fields, undefined)).toBe(false);
    expect(await verifySdp(key, fields, '%%%not base64')).toBe(false);
  });

  it('derives from a server room key too', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32)).buffer;
    const key = await deriveAuthKey({ mode: 'room-key', key: raw }, 'standup');
    expect(await verifySdp(key, fields, await signSdp(key, fields))).toBe(true);
  });
});
