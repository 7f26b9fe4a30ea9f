// Decides and runs direct (peer-to-peer) media for a two-person call on top of a connected LiveKit
// Room. The Room stays the source of truth for who is here, who publishes what and who is muted;
// the direct connection only carries the bytes. It starts on the SFU, goes direct in the background
// once both sides can, and switches back make-before-break (SFU subscribed and flowing before the
// direct connection closes) when a third participant arrives. What the meeting view shows comes
// out of trackFor(), so tiles and audio elements render either path the same way.
import {
  ConnectionState,
  ParticipantKind,
  RoomEvent,
  Track,
  type LocalTrack,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
} from 'livekit-client';
import { writable, type Subscribable, type Unsubscribe } from '../livekit/subscribable';
import type { TrackHandle } from '../livekit/types';
import { DirectTrack } from './direct-track';
import { livekitSignaling, type SignalingChannel } from './livekit-signaling';
import { createP2pLog, type P2pLog } from './log';
import { chooseSourcePath, decideDirectCall, isOfferer, type DirectCallDecision } from './policy';
import { PeerSession } from './peer-session';
import { decodeMessage, newSessionId, P2P_PROTOCOL_VERSION, type P2pMessage } from './signaling';
import { DIRECT_SOURCES, directSourceOf, LIVEKIT_SOURCE, SOURCE_KIND, type DirectSource } from './sources';

export type DirectRoute = 'direct' | 'server';

export interface DirectStatus {
  /** 'direct' while the other person's media reaches us over the direct connection. */
  route: DirectRoute;
  phase: 'off' | 'connecting' | 'direct' | 'leaving';
  peer: string | null;
}

export interface DirectCallOptions {
  /** The room option "two-person calls connect directly", as the join response carried it. */
  allowed: boolean;
  /**
   * In an encrypted room, the key offers and answers are signed with (auth.ts); null when unencrypted.
   * A function is called on start(), once the room (and its name) is known.
   */
  authKey?: Promise<CryptoKey | null> | CryptoKey | null | (() => Promise<CryptoKey | null>);
  signaling?: SignalingChannel;
  log?: P2pLog;
  /** The ICE servers; by default the SFU's own STUN/TURN from its join response. */
  rtcConfig?: () => RTCConfiguration;
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** ICE + DTLS must finish within this, or the call stays on the SFU with this peer. */
  connectTimeoutMs?: number;
  /** After going back to the SFU, how long the room must stay at two before trying direct again. */
  retryDelayMs?: number;
  tickMs?: number;
}

const DEFAULTS = { connectTimeoutMs: 6000, retryDelayMs: 3000, tickMs: 250 };
/** Switching back to the SFU: how long each medium may take to flow there before we go anyway. */
const SFU_WAIT_MS = 4000;
/** And how long we keep the direct connection for a peer that never confirms it switched too. */
const LEAVE_DEADLINE_MS = 12_000;
/** After moving a video to direct, how long the SFU copy keeps flowing if no element confirms playing. */
const PAUSE_GRACE_MS = 2000;
/** A hello from someone not (yet) in the room counts if they show up within this. */
const EARLY_HELLO_MS = 10_000;

interface SourceState {
  using: 'direct' | 'sfu';
  live: boolean;
  liveSince: number;
  lastPackets: number;
  lastPacketAt: number;
  handle: DirectTrack | null;
  /** When it moved to direct: the SFU copy is dropped once the direct one plays or after a grace. */
  directSince: number;
  /** Switching back: when we asked the SFU for it, and when the view moved to the SFU copy. */
  sfuAskedAt: number;
  swappedAt: number;
  /** What the SFU copy had played (samples, frames) when the view moved to it: it plays once past this. */
  playedAtSwap: number;
}

interface Active {
  session: PeerSession;
  sources: Map<DirectSource, SourceState>;
  connectedAt: number;
  leavingSince: number | null;
  sentSwitched: boolean;
  gotSwitched: boolean;
}

/** The SFU's ICE servers, from livekit-client's engine (its typings mark the field internal; no public API). */
export function sfuRtcConfig(room: Room): RTCConfiguration {
  const engine: unknown = room.engine;
  const join = engine && typeof engine === 'object' && 'latestJoinResponse' in engine ? engine.latestJoinResponse : undefined;
  const servers = join && typeof join === 'object' && 'iceServers' in join && Array.isArray(join.iceServers) ? join.iceServers : [];
  const iceServers: RTCIceServer[] = [];
  for (const s of servers as { urls?: unknown; username?: unknown; credential?: unknown }[]) {
    const urls = Array.isArray(s.urls) ? s.urls.filter((u): u is string => typeof u === 'string') : [];
    if (!urls.length) continue;
    iceServers.push({
      urls,
      ...(typeof s.username === 'string' && s.username ? { username: s.username } : {}),
      ...(typeof s.credential === 'string' && s.credential ? { credential: s.credential } : {}),
    });
  }
  return { iceServers };
}

function freshSource(now: number): SourceState {
  return {
    using: 'sfu',
    live: false,
    liveSince: now,
    lastPackets: 0,
    lastPacketAt: 0,
    handle: null,
    directSince: 0,
    sfuAskedAt: 0,
    swappedAt: 0,
    playedAtSwap: 0,
  };
}

function localTrackFor(room: Room, source: DirectSource): MediaStreamTrack | null {
  const pub = room.localParticipant.getTrackPublication(LIVEKIT_SOURCE[source]);
  const track = pub?.track as LocalTrack | undefined;
  if (!pub || pub.isMuted || !track) return null;
  // With a background effect on, the processed camera is what the SFU gets; the peer gets the same.
  return track.getProcessor()?.processedTrack ?? track.mediaStreamTrack;
}

/**
 * How far the SFU copy of a track got: packets arriving, and played (audio samples played out, video
 * frames decoded, which the browser does only for a track on a playing element). Where a WebRTC
 * implementation has no per-receiver stats (Node's), the SFU's word that it forwards stands for both.
 */
async function sfuProgress(track: RemoteTrack | undefined): Promise<{ arriving: boolean; played: number }> {
  if (!track) return { arriving: false, played: 0 };
  try {
    const report = await track.receiver?.getStats();
    let streams = 0;
    let packets = 0;
    let played = 0;
    report?.forEach((s: { type: string; packetsReceived?: number; totalSamplesReceived?: number; framesDecoded?: number }) => {
      if (s.type !== 'inbound-rtp') return;
      streams++;
      packets += s.packetsReceived ?? 0;
      played += (s.totalSamplesReceived ?? 0) + (s.framesDecoded ?? 0);
    });
    if (streams > 0) return { arriving: packets > 0, played };
  } catch {
    // No per-receiver stats here: the SFU's word below.
  }
  const active = track.streamState === Track.StreamState.Active;
  return { arriving: active, played: active ? Number.POSITIVE_INFINITY : 0 };
}

/** Whether the SFU copy played anything since `before` (the SFU's word, where no stats say, counts). */
function playedSince(progress: { played: number }, before: number): boolean {
  return progress.played === Number.POSITIVE_INFINITY || progress.played > before;
}

/**
 * Pauses or resumes the SFU's copy of a video. With adaptive stream (the app) it stays subscribed
 * and nothing is needed: an SFU track attached to no element counts as hidden and LiveKit pauses it
 * itself (the SFU sends none of it, and dynacast stops the sender's layers nobody watches), and
 * attaching it resumes it at once, with no new subscription to wait for. Without adaptive stream
 * (Node peers) nothing would pause it, so it is unsubscribed and subscribed again, the slower way back.
 * Decided by the room's option, not the track: the track may not exist yet when the call goes direct.
 */
function setSfuVideoFlowing(room: Room, pub: RemoteTrackPublication | undefined, flowing: boolean): void {
  if (!pub || pub.kind !== Track.Kind.Video) return;
  if (flowing && !pub.isDesired) pub.setSubscribed(true);
  else if (!flowing && !room.options.adaptiveStream && pub.isDesired) pub.setSubscribed(false);
}

export class DirectCall {
  readonly #room: Room;
  readonly #o: Required<Omit<DirectCallOptions, 'authKey' | 'RTCPeerConnection' | 'signaling' | 'log' | 'rtcConfig'>> &
    Pick<DirectCallOptions, 'RTCPeerConnection'>;
  readonly #signaling: SignalingChannel;
  readonly #log: P2pLog;
  readonly #rtcConfig: () => RTCConfiguration;
  readonly #status = writable<DirectStatus>({ route: 'server', phase: 'off', peer: null });
  readonly #changes = new Set<() => void>();
  readonly #hellos = new Map<string, { allow: boolean }>();
  readonly #failed = new Set<string>();
  /** Session ids that ended: a message for one of them is stale. */
  readonly #ended = new Set<string>();
  #authKey: CryptoKey | null = null;
  #authReady: boolean;
  #active: Active | null = null;
  #nextAttemptAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #ticking = false;
  #again = false;
  #stops: Unsubscribe[] = [];
  #lastDecision: DirectCallDecision['direct'] | string = '';

  constructor(room: Room, options: DirectCallOptions) {
    this.#room = room;
    this.#o = {
      allowed: options.allowed,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
      tickMs: options.tickMs ?? DEFAULTS.tickMs,
      RTCPeerConnection: options.RTCPeerConnection,
    };
    this.#signaling = options.signaling ?? livekitSignaling(room);
    this.#log = options.log ?? createP2pLog();
    this.#rtcConfig = options.rtcConfig ?? (() => sfuRtcConfig(room));
    this.#authKeyOption = options.authKey ?? null;
    this.#authReady = this.#authKeyOption === null;
  }

  #authKeyOption: DirectCallOptions['authKey'];
  /** Hellos from someone the room does not list yet (their hello can beat the SFU's news of them). */
  readonly #earlyHellos = new Map<string, { allow: boolean; ack: boolean; at: number }>();
  #listening: Unsubscribe | null = null;

  #resolveAuthKey(): void {
    const option = this.#authKeyOption;
    this.#authKeyOption = null;
    if (option === null || option === undefined) return;
    const key = typeof option === 'function' ? option() : option;
    if (key instanceof Promise) {
      key.then(
        (k) => {
          this.#authKey = k;
          this.#authReady = true;
          this.#kick();
        },
        (err: unknown) => this.#log.warn('auth-key-failed', 'P2P_AUTH_KEY', { error: String(err) }),
      );
    } else if (key) {
      this.#authKey = key;
      this.#authReady = true;
    }
  }

  /**
   * Starts listening for signaling. Call before the room connects, so a hello sent the moment we
   * arrive is not lost; start() (after connecting) does it too if it was not done.
   */
  listen(): void {
    if (this.#listening) return;
    this.#listening = this.#signaling.onMessage((from, text) => void this.#onSignal(from, text));
  }

  /** Current route and phase, then every change (for the stats panel and the call's mode label). */
  get status(): Subscribable<DirectStatus> {
    return this.#status;
  }

  /** Fires when trackFor() would answer differently (the participant snapshot re-reads). */
  onChange(run: () => void): Unsubscribe {
    this.#changes.add(run);
    return () => this.#changes.delete(run);
  }

  /** The direct track to show for this participant's medium, or undefined to use LiveKit's own. */
  trackFor(identity: string, source: Track.Source): TrackHandle | undefined {
    const a = this.#active;
    const s = directSourceOf(source);
    if (!a || !s || a.session.remoteIdentity !== identity) return undefined;
    const st = a.sources.get(s);
    return st?.using === 'direct' && st.handle ? st.handle : undefined;
  }

  /** Like trackFor, with the received MediaStreamTrack (the stats sampler finds it in the report by id). */
  directTrackFor(identity: string, source: Track.Source): DirectTrack | undefined {
    const t = this.trackFor(identity, source);
    return t instanceof DirectTrack ? t : undefined;
  }

  get route(): DirectRoute {
    return this.#status.get().route;
  }

  /** The direct connection while it is up (stats, tests), else null. */
  get connection(): RTCPeerConnection | null {
    const a = this.#active;
    return a?.session.connected ? a.session.pc : null;
  }

  start(): Unsubscribe {
    const room = this.#room;
    this.listen();
    this.#resolveAuthKey();
    this.#stops.push(() => {
      this.#listening?.();
      this.#listening = null;
    });
    const kick = (): void => this.#kick();
    const onJoin = (p: RemoteParticipant): void => {
      const early = this.#earlyHellos.get(p.identity);
      this.#earlyHellos.delete(p.identity);
      if (early && Date.now() - early.at < EARLY_HELLO_MS) this.#hellos.set(p.identity, { allow: early.allow });
      if (!early?.ack) this.#sendHello(p.identity, !!early);
      this.#kick();
    };
    const onLeave = (p: RemoteParticipant): void => {
      this.#hellos.delete(p.identity);
      this.#failed.delete(p.identity);
      // Removed by a host, or gone: nothing more flows to or from them directly, whatever their client does.
      if (this.#active?.session.remoteIdentity === p.identity) this.#end('peer-left', false);
      this.#kick();
    };
    const onConnection = (state: ConnectionState): void => {
      if (state === ConnectionState.Connected) this.#helloEveryone();
      if (state === ConnectionState.Disconnected) this.#end('room-disconnected', false);
      this.#kick();
    };
    const onDevice = (kind: MediaDeviceKind, id: string): void => {
      if (kind !== 'audiooutput') return;
      for (const st of this.#active?.sources.values() ?? []) st.handle?.setSinkId(id);
    };
    const events = [
      RoomEvent.TrackPublished,
      RoomEvent.TrackUnpublished,
      RoomEvent.TrackMuted,
      RoomEvent.TrackUnmuted,
      RoomEvent.TrackSubscribed,
      RoomEvent.TrackUnsubscribed,
      RoomEvent.LocalTrackPublished,
      RoomEvent.LocalTrackUnpublished,
      RoomEvent.ParticipantPermissionsChanged,
    ] as const;
    for (const e of events) room.on(e, kick);
    room.on(RoomEvent.ParticipantConnected, onJoin);
    room.on(RoomEvent.ParticipantDisconnected, onLeave);
    room.on(RoomEvent.ConnectionStateChanged, onConnection);
    room.on(RoomEvent.ActiveDeviceChanged, onDevice);
    this.#stops.push(() => {
      for (const e of events) room.off(e, kick);
      room.off(RoomEvent.ParticipantConnected, onJoin);
      room.off(RoomEvent.ParticipantDisconnected, onLeave);
      room.off(RoomEvent.ConnectionStateChanged, onConnection);
      room.off(RoomEvent.ActiveDeviceChanged, onDevice);
    });
    this.#timer = setInterval(() => this.#kick(), this.#o.tickMs);
    if (room.state === ConnectionState.Connected) this.#helloEveryone();
    this.#kick();
    return () => this.stop();
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const s of this.#stops.splice(0)) s();
    this.#end('stopped', false);
    this.#changes.clear();
  }

  // ---- signaling -----------------------------------------------------------------------------

  #send(to: string, message: P2pMessage): void {
    void this.#signaling.send(to, message).catch((err: unknown) => {
      this.#log.warn('send-failed', 'P2P_SEND', { to, type: message.t, error: String(err) });
    });
  }

  #sendHello(to: string, ack: boolean): void {
    this.#send(to, { t: 'hello', v: P2P_PROTOCOL_VERSION, allow: this.#o.allowed, ack });
  }

  #helloEveryone(): void {
    for (const p of this.#room.remoteParticipants.values()) this.#sendHello(p.identity, false);
  }

  async #onSignal(from: string, text: string): Promise<void> {
    const decoded = decodeMessage(text);
    if (!decoded.ok) {
      this.#log.warn('signal-ignored', decoded.code, { from, detail: decoded.detail });
      return;
    }
    const msg = decoded.message;
    if (!this.#room.remoteParticipants.has(from) && msg.t === 'hello' && this.#earlyHellos.size < 16) {
      this.#earlyHellos.set(from, { allow: msg.allow, ack: msg.ack, at: Date.now() });
      return;
    }
    if (!this.#room.remoteParticipants.has(from)) {
      this.#log.warn('signal-ignored', 'P2P_WRONG_SENDER', { from, type: msg.t });
      return;
    }
    if (msg.t === 'hello') {
      this.#hellos.set(from, { allow: msg.allow });
      if (!msg.ack) this.#sendHello(from, true);
      this.#kick();
      return;
    }
    const a = this.#active;
    if (msg.t === 'offer') {
      await this.#onOffer(from, msg);
      return;
    }
    if (!a || a.session.id !== msg.session || a.session.remoteIdentity !== from) {
      const code = this.#ended.has(msg.session)
        ? 'P2P_STALE_SESSION'
        : a && a.session.id === msg.session
          ? 'P2P_WRONG_SENDER'
          : 'P2P_UNKNOWN_SESSION';
      this.#log.warn('signal-ignored', code, { from, type: msg.t, session: msg.session });
      return;
    }
    switch (msg.t) {
      case 'answer':
        if (!(await a.session.acceptAnswer(msg))) this.#end('bad-answer', true, 'failed');
        break;
      case 'ice':
        await a.session.addCandidate(msg);
        break;
      case 'switched':
        a.gotSwitched = true;
        this.#kick();
        break;
      case 'bye':
        this.#log.info('peer-bye', { session: msg.session, reason: msg.reason });
        if (msg.reason === 'failed') this.#failed.add(from);
        this.#end(`peer-${msg.reason}`, false);
        break;
    }
  }

  async #onOffer(from: string, msg: Extract<P2pMessage, { t: 'offer' }>): Promise<void> {
    const me = this.#room.localParticipant.identity;
    if (this.#ended.has(msg.session) || this.#active?.session.id === msg.session) {
      this.#log.warn('signal-ignored', 'P2P_STALE_SESSION', { from, type: 'offer', session: msg.session });
      return;
    }
    if (isOfferer(me, from)) {
      this.#log.warn('signal-ignored', 'P2P_UNEXPECTED', { from, type: 'offer', why: 'we offer to this peer' });
      return;
    }
    const decision = this.#decide();
    if (!decision.direct || decision.peer !== from) {
      this.#log.info('offer-declined', { from, why: decision.direct ? 'other-peer' : decision.why });
      this.#send(from, { t: 'bye', session: msg.session, reason: 'declined' });
      return;
    }
    // One session at a time: an offer while one is live (or being set up) is not ours to act on. A
    // peer that really started over has said bye first, or its end has gone and ours fails on its own.
    if (this.#active) {
      this.#log.warn('signal-ignored', 'P2P_UNEXPECTED', { from, type: 'offer', session: msg.session, why: 'a session is live' });
      return;
    }
    const a = this.#newActive(msg.session, 'answerer', from);
    if (!(await a.session.acceptOffer(msg))) {
      if (this.#active === a) this.#end('bad-offer', true, 'failed');
    }
  }

  // ---- the session ---------------------------------------------------------------------------

  #newActive(id: string, role: 'offerer' | 'answerer', peer: string): Active {
    const now = Date.now();
    const sources = new Map<DirectSource, SourceState>(DIRECT_SOURCES.map((s) => [s, freshSource(now)]));
    const session: PeerSession = new PeerSession({
      id,
      role,
      localIdentity: this.#room.localParticipant.identity,
      remoteIdentity: peer,
      rtcConfig: this.#rtcConfig(),
      authKey: this.#authKey,
      send: (m) => this.#send(peer, m),
      log: this.#log,
      connectTimeoutMs: this.#o.connectTimeoutMs,
      onConnected: () => {
        if (this.#active?.session === session) this.#active.connectedAt = Date.now();
        this.#kick();
      },
      onFailed: (code) => {
        if (this.#active?.session !== session) return;
        this.#failed.add(peer);
        this.#log.info('staying-on-sfu', { peer, code });
        this.#end(code, true, 'failed');
      },
      ...(this.#o.RTCPeerConnection ? { RTCPeerConnection: this.#o.RTCPeerConnection } : {}),
    });
    const a: Active = {
      session,
      sources,
      connectedAt: Number.POSITIVE_INFINITY,
      leavingSince: null,
      sentSwitched: false,
      gotSwitched: false,
    };
    this.#active = a;
    void session.setSending(this.#localTracks());
    this.#log.info('session-start', { session: id, role, peer });
    this.#publishStatus();
    return a;
  }

  /**
   * Ends the direct connection. Media the view shows from it goes back to LiveKit's own tracks (the
   * SFU subscriptions are asked for again); `tell` says bye to the peer.
   */
  #end(why: string, tell: boolean, reason: 'failed' | 'closed' = 'closed'): void {
    const a = this.#active;
    if (!a) return;
    this.#active = null;
    this.#ended.add(a.session.id);
    if (tell) this.#send(a.session.remoteIdentity, { t: 'bye', session: a.session.id, reason });
    a.session.close();
    const peer = this.#room.remoteParticipants.get(a.session.remoteIdentity);
    for (const s of DIRECT_SOURCES) {
      const pub = peer?.getTrackPublication(LIVEKIT_SOURCE[s]);
      pub?.setSubscribed(true);
      setSfuVideoFlowing(this.#room, pub, true);
    }
    this.#nextAttemptAt = Date.now() + this.#o.retryDelayMs;
    this.#log.info('session-end', { session: a.session.id, why });
    this.#emitChange();
    this.#publishStatus();
  }

  #localTracks(): Map<DirectSource, MediaStreamTrack | null> {
    return new Map(DIRECT_SOURCES.map((s) => [s, localTrackFor(this.#room, s)]));
  }

  #decide(): DirectCallDecision {
    const room = this.#room;
    return decideDirectCall({
      connected: room.state === ConnectionState.Connected,
      allowedHere: this.#o.allowed,
      remotes: [...room.remoteParticipants.values()].map((p) => ({ identity: p.identity, standard: p.kind === ParticipantKind.STANDARD })),
      hellos: this.#hellos,
      failed: this.#failed,
      authReady: this.#authReady,
    });
  }

  #kick(): void {
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = true;
    void this.#tick()
      .catch((err: unknown) => this.#log.warn('tick-failed', 'P2P_INTERNAL', { error: String(err) }))
      .finally(() => {
        this.#ticking = false;
        if (this.#again) {
          this.#again = false;
          this.#kick();
        }
      });
  }

  async #tick(): Promise<void> {
    const decision = this.#decide();
    const key = decision.direct ? `direct:${decision.peer}` : decision.why;
    if (key !== this.#lastDecision) {
      this.#lastDecision = key;
      this.#log.info('decision', decision.direct ? { direct: true, peer: decision.peer } : { direct: false, why: decision.why });
    }
    const a = this.#active;
    if (!a) {
      // Only when the room is at exactly two, and only the chosen side offers.
      if (!decision.direct || Date.now() < this.#nextAttemptAt) return;
      if (!isOfferer(this.#room.localParticipant.identity, decision.peer)) return;
      const fresh = this.#newActive(newSessionId(), 'offerer', decision.peer);
      await fresh.session.start().catch((err: unknown) => {
        this.#log.warn('offer-failed', 'P2P_OFFER', { error: String(err) });
        if (this.#active === fresh) this.#end('offer-failed', true, 'failed');
      });
      return;
    }
    if (a.leavingSince === null && (!decision.direct || decision.peer !== a.session.remoteIdentity)) {
      // A third person (or anything else that ends "two Parley clients"): back to the SFU, make before break.
      a.leavingSince = Date.now();
      this.#log.info('switching-to-sfu', { session: a.session.id, why: decision.direct ? 'other-peer' : decision.why });
      if (!a.session.connected) {
        this.#end('not-needed', true, 'closed');
        return;
      }
    }
    await a.session.setSending(this.#localTracks());
    await this.#steer(a);
  }

  /** Per medium: which path we receive it on, and the SFU subscriptions that follow from it. */
  async #steer(a: Active): Promise<void> {
    const peer = this.#room.remoteParticipants.get(a.session.remoteIdentity);
    if (!peer) {
      this.#end('peer-left', false);
      return;
    }
    const now = Date.now();
    const packets = a.session.connected ? await a.session.packetsReceived() : new Map<DirectSource, number>();
    if (this.#active !== a) return;
    const leaving = a.leavingSince !== null;
    let changed = false;
    let allOnSfu = true;
    for (const source of DIRECT_SOURCES) {
      const st = a.sources.get(source)!;
      const pub = peer.getTrackPublication(LIVEKIT_SOURCE[source]) as RemoteTrackPublication | undefined;
      const live = !!pub && !pub.isMuted;
      if (live && !st.live) st.liveSince = now;
      st.live = live;
      const received = a.session.received(source);
      // The enforcement that does not rely on the other client: what the SFU does not list as
      // published and unmuted (a host muted it, permissions were revoked) is not played here.
      if (received && received.enabled !== live) received.enabled = live;
      const count = packets.get(source) ?? 0;
      if (count > st.lastPackets) {
        st.lastPackets = count;
        st.lastPacketAt = now;
      }
      if (received && !st.handle) {
        st.handle = new DirectTrack(received, `direct:${a.session.id}:${source}`, this.#room.getActiveDevice('audiooutput'));
      }
      const target = chooseSourcePath({
        now,
        directUp: a.session.connected && !leaving,
        using: st.using,
        live,
        liveSince: st.liveSince,
        connectedAt: a.connectedAt,
        lastDirectPacketAt: st.lastPacketAt,
      });
      if (target === 'direct' && st.using === 'sfu' && st.handle) {
        st.using = 'direct';
        st.directSince = now;
        changed = true;
        this.#log.info('source-direct', { session: a.session.id, source });
      } else if (target === 'sfu' && st.using === 'direct') {
        // Make before break: the SFU copy first; the direct one stays on screen until it arrives.
        if (pub && !pub.isDesired) pub.setSubscribed(true);
        setSfuVideoFlowing(this.#room, pub, true);
        if (!st.sfuAskedAt) st.sfuAskedAt = now;
        const track = pub?.track;
        // Video hands over as soon as the SFU track exists (the tile keeps the direct picture until
        // the new one has a frame); audio once its packets arrive (the new element starts silent
        // and takes over when it plays).
        const ready =
          !live || (SOURCE_KIND[source] === 'video' ? !!track : (await sfuProgress(track)).arriving) || now - st.sfuAskedAt > SFU_WAIT_MS;
        if (ready) {
          st.using = 'sfu';
          st.sfuAskedAt = 0;
          st.swappedAt = now;
          st.playedAtSwap = (await sfuProgress(track)).played;
          changed = true;
          this.#log.info('source-sfu', { session: a.session.id, source });
        }
      } else if (st.using === 'direct' && (st.handle?.rendered || now - st.directSince > PAUSE_GRACE_MS)) {
        // The direct copy plays. The SFU copies stay subscribed, so going back never waits for a new
        // subscription: audio keeps arriving unplayed (a few dozen kbit/s), video is paused (no
        // element shows it), so the SFU sends nothing and dynacast stops the sender's layers for us.
        setSfuVideoFlowing(this.#room, pub, false);
      }
      if (st.using !== 'sfu') allOnSfu = false;
      else if (
        leaving &&
        live &&
        st.swappedAt &&
        now - st.swappedAt < SFU_WAIT_MS &&
        !playedSince(await sfuProgress(pub?.track), st.playedAtSwap)
      ) {
        // The view plays the direct copy until the SFU one plays: the connection stays up until then.
        allOnSfu = false;
      }
      if (this.#active !== a) return;
    }
    if (changed) this.#emitChange();
    if (leaving) {
      if (allOnSfu && !a.sentSwitched) {
        a.sentSwitched = true;
        this.#send(a.session.remoteIdentity, { t: 'switched', session: a.session.id });
      }
      if ((a.sentSwitched && a.gotSwitched) || now - a.leavingSince! > LEAVE_DEADLINE_MS) {
        this.#end(a.sentSwitched && a.gotSwitched ? 'both-on-sfu' : 'leave-deadline', false);
        return;
      }
    }
    this.#publishStatus();
  }

  #publishStatus(): void {
    const a = this.#active;
    let next: DirectStatus;
    if (!a) next = { route: 'server', phase: 'off', peer: null };
    else {
      const live = [...a.sources.values()].filter((s) => s.live);
      const direct = a.session.connected && a.leavingSince === null && live.every((s) => s.using === 'direct');
      next = {
        route: direct ? 'direct' : 'server',
        phase: a.leavingSince !== null ? 'leaving' : a.session.connected ? (direct ? 'direct' : 'connecting') : 'connecting',
        peer: a.session.remoteIdentity,
      };
    }
    const cur = this.#status.get();
    if (cur.route !== next.route || cur.phase !== next.phase || cur.peer !== next.peer) this.#status.set(next);
  }

  #emitChange(): void {
    for (const run of this.#changes) run();
  }
}
