// One direct RTCPeerConnection between this client and one other, for one signaling session: the
// offer/answer with its four fixed transceivers, trickle ICE, a deadline for connecting, what we
// send (replaceTrack), what arrives, and whether it is flowing. It decides nothing about modes.
import { signSdp, verifySdp } from './auth';
import type { P2pLog } from './log';
import type { P2pMessage, P2pMessageOf } from './signaling';
import { DIRECT_SOURCES, SOURCE_KIND, type DirectSource } from './sources';

export type SessionRole = 'offerer' | 'answerer';

export interface SessionOptions {
  id: string;
  role: SessionRole;
  localIdentity: string;
  remoteIdentity: string;
  rtcConfig: RTCConfiguration;
  /** Set in end-to-end encrypted rooms: offers and answers must carry a valid MAC (auth.ts). */
  authKey: CryptoKey | null;
  send(message: P2pMessage): void;
  log: P2pLog;
  /** How long ICE and DTLS may take before the attempt counts as failed. */
  connectTimeoutMs: number;
  /** Called once when the connection is up, and once when it failed or closed (after being up or not). */
  onConnected(): void;
  onFailed(code: string): void;
  /** Lets Node tests pass @roamhq/wrtc's class; browsers use the global one. */
  RTCPeerConnection?: typeof RTCPeerConnection;
}

/** Bitrate caps on the direct path: the SFU path's top layers, since here the one layer is the top one. */
const MAX_BITRATE: Readonly<Record<DirectSource, number>> = {
  microphone: 32_000,
  camera: 1_700_000,
  screen: 2_500_000,
  'screen-audio': 64_000,
};

export class PeerSession {
  readonly id: string;
  readonly role: SessionRole;
  readonly remoteIdentity: string;
  readonly pc: RTCPeerConnection;
  #o: SessionOptions;
  #transceivers: RTCRtpTransceiver[] = [];
  #pendingCandidates: RTCIceCandidateInit[] = [];
  #remoteSet = false;
  #sending = new Map<DirectSource, MediaStreamTrack | null>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #state: 'new' | 'connected' | 'closed' = 'new';

  constructor(o: SessionOptions) {
    this.#o = o;
    this.id = o.id;
    this.role = o.role;
    this.remoteIdentity = o.remoteIdentity;
    const PC = o.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    this.pc = new PC({ ...o.rtcConfig, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.pc.onicecandidate = (e) => {
      if (!e.candidate || !e.candidate.candidate) return;
      o.send({
        t: 'ice',
        session: this.id,
        candidate: e.candidate.candidate,
        sdpMid: e.candidate.sdpMid ?? null,
        sdpMLineIndex: e.candidate.sdpMLineIndex ?? null,
      });
    };
    this.pc.onconnectionstatechange = () => this.#onState();
    this.#timer = setTimeout(() => {
      if (this.#state === 'new') this.#fail('P2P_CONNECT_TIMEOUT');
    }, o.connectTimeoutMs);
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  #onState(): void {
    const s = this.pc.connectionState;
    if (s === 'connected' && this.#state === 'new') {
      this.#state = 'connected';
      clearTimeout(this.#timer);
      this.#o.log.info('connected', { session: this.id, peer: this.remoteIdentity });
      this.#o.onConnected();
    } else if (s === 'failed' || (s === 'closed' && this.#state !== 'closed')) {
      this.#fail(s === 'failed' ? 'P2P_ICE_FAILED' : 'P2P_CLOSED');
    }
  }

  #fail(code: string): void {
    if (this.#state === 'closed') return;
    this.#o.log.warn('session-failed', code, { session: this.id, peer: this.remoteIdentity });
    this.close();
    this.#o.onFailed(code);
  }

  /** Offerer: the four transceivers, then the offer (signed in encrypted rooms). */
  async start(): Promise<void> {
    for (const source of DIRECT_SOURCES) {
      this.#transceivers.push(this.pc.addTransceiver(SOURCE_KIND[source], { direction: 'sendrecv' }));
    }
    await this.#applySenders();
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    const sdp = this.pc.localDescription?.sdp ?? offer.sdp ?? '';
    this.#o.send({ t: 'offer', session: this.id, sdp, ...(await this.#mac('offer', sdp, true)) });
  }

  /** Answerer. Resolves false (and logs) when the offer is not one we accept; the caller drops the session. */
  async acceptOffer(msg: P2pMessageOf<'offer'>): Promise<boolean> {
    if (!(await this.#verify('offer', msg.sdp, msg.mac))) return false;
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    } catch (err) {
      this.#o.log.warn('signal-ignored', 'P2P_BAD_SDP', { session: this.id, type: 'offer', error: String(err) });
      return false;
    }
    const ts = this.pc.getTransceivers();
    const shape = ts.map((t) => t.receiver.track.kind);
    if (ts.length !== DIRECT_SOURCES.length || DIRECT_SOURCES.some((s, i) => SOURCE_KIND[s] !== shape[i])) {
      this.#o.log.warn('signal-ignored', 'P2P_UNEXPECTED_SDP', { session: this.id, type: 'offer', sections: shape.join(',') });
      return false;
    }
    this.#transceivers = ts;
    for (const t of ts) t.direction = 'sendrecv';
    await this.#applySenders();
    await this.#flushCandidates();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    const sdp = this.pc.localDescription?.sdp ?? answer.sdp ?? '';
    this.#o.send({ t: 'answer', session: this.id, sdp, ...(await this.#mac('answer', sdp, true)) });
    return true;
  }

  /** Offerer. False when the answer is not acceptable (logged); the session is then dropped. */
  async acceptAnswer(msg: P2pMessageOf<'answer'>): Promise<boolean> {
    if (this.role !== 'offerer' || this.#remoteSet || this.pc.signalingState !== 'have-local-offer') {
      this.#o.log.warn('signal-ignored', 'P2P_UNEXPECTED', { session: this.id, type: 'answer', state: this.pc.signalingState });
      return true; // A duplicate answer does not end a good session.
    }
    if (!(await this.#verify('answer', msg.sdp, msg.mac))) return false;
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
    } catch (err) {
      this.#o.log.warn('signal-ignored', 'P2P_BAD_SDP', { session: this.id, type: 'answer', error: String(err) });
      return false;
    }
    this.#remoteSet = true;
    await this.#flushCandidates();
    return true;
  }

  async addCandidate(msg: P2pMessageOf<'ice'>): Promise<void> {
    const init: RTCIceCandidateInit = { candidate: msg.candidate, sdpMid: msg.sdpMid, sdpMLineIndex: msg.sdpMLineIndex };
    if (!this.pc.remoteDescription) {
      if (this.#pendingCandidates.length < 100) this.#pendingCandidates.push(init);
      return;
    }
    await this.pc.addIceCandidate(init).catch((err: unknown) => {
      this.#o.log.warn('signal-ignored', 'P2P_BAD_CANDIDATE', { session: this.id, error: String(err) });
    });
  }

  async #flushCandidates(): Promise<void> {
    this.#remoteSet = true;
    const list = this.#pendingCandidates.splice(0);
    for (const c of list) {
      await this.pc.addIceCandidate(c).catch((err: unknown) => {
        this.#o.log.warn('signal-ignored', 'P2P_BAD_CANDIDATE', { session: this.id, error: String(err) });
      });
    }
  }

  async #mac(kind: 'offer' | 'answer', sdp: string, outgoing: boolean): Promise<{ mac?: string }> {
    const key = this.#o.authKey;
    if (!key) return {};
    const from = outgoing ? this.#o.localIdentity : this.remoteIdentity;
    const to = outgoing ? this.remoteIdentity : this.#o.localIdentity;
    return { mac: await signSdp(key, { session: this.id, kind, from, to, sdp }) };
  }

  async #verify(kind: 'offer' | 'answer', sdp: string, mac: string | undefined): Promise<boolean> {
    const key = this.#o.authKey;
    if (!key) return true;
    const ok = await verifySdp(key, { session: this.id, kind, from: this.remoteIdentity, to: this.#o.localIdentity, sdp }, mac).catch(
      () => false,
    );
    if (!ok) this.#o.log.warn('signal-ignored', 'P2P_BAD_MAC', { session: this.id, type: kind });
    return ok;
  }

  /** What we send per source (null: nothing). Applied now if the transceivers exist, else on start. */
  async setSending(tracks: ReadonlyMap<DirectSource, MediaStreamTrack | null>): Promise<void> {
    let changed = false;
    for (const s of DIRECT_SOURCES) {
      const next = tracks.get(s) ?? null;
      if ((this.#sending.get(s) ?? null) !== next) changed = true;
      this.#sending.set(s, next);
    }
    if (changed) await this.#applySenders();
  }

  async #applySenders(): Promise<void> {
    if (this.#state === 'closed') return;
    await Promise.all(
      this.#transceivers.map(async (t, i) => {
        const source = DIRECT_SOURCES[i]!;
        const track = this.#sending.get(source) ?? null;
        if (t.sender.track === track) return;
        try {
          await t.sender.replaceTrack(track);
          if (track) await this.#limit(t.sender, source, track);
        } catch (err) {
          this.#o.log.warn('sender-failed', 'P2P_SENDER', { session: this.id, source, error: String(err) });
        }
      }),
    );
  }

  async #limit(sender: RTCRtpSender, source: DirectSource, track: MediaStreamTrack): Promise<void> {
    if (typeof sender.getParameters !== 'function') return;
    const params = sender.getParameters();
    if (!params.encodings?.length) return;
    const first = params.encodings[0]!;
    if (first.maxBitrate === MAX_BITRATE[source]) return;
    first.maxBitrate = MAX_BITRATE[source];
    if (SOURCE_KIND[source] === 'video') {
      // Text shared on screen stays sharp and drops frames; faces stay fluid (docs/media.md).
      params.degradationPreference =
        track.contentHint === 'text' || track.contentHint === 'detail' ? 'maintain-resolution' : 'maintain-framerate';
    }
    await sender.setParameters(params).catch(() => undefined);
  }

  /** The track arriving for `source` (exists from the start; carries media once the other side sends). */
  received(source: DirectSource): MediaStreamTrack | null {
    const i = DIRECT_SOURCES.indexOf(source);
    return this.#transceivers[i]?.receiver.track ?? null;
  }

  /** Packets received so far per source, from one getStats of the connection. */
  async packetsReceived(): Promise<Map<DirectSource, number>> {
    const out = new Map<DirectSource, number>();
    if (this.#state === 'closed') return out;
    const report = await this.pc.getStats().catch(() => null);
    if (!report) return out;
    const byTrack = new Map<string, DirectSource>();
    const byMid = new Map<string, DirectSource>();
    this.#transceivers.forEach((t, i) => {
      byTrack.set(t.receiver.track.id, DIRECT_SOURCES[i]!);
      if (t.mid !== null) byMid.set(t.mid, DIRECT_SOURCES[i]!);
    });
    report.forEach((s: { type: string; trackIdentifier?: string; mid?: string; packetsReceived?: number }) => {
      if (s.type !== 'inbound-rtp') return;
      const source = (s.trackIdentifier && byTrack.get(s.trackIdentifier)) || (s.mid !== undefined && byMid.get(s.mid)) || null;
      if (source) out.set(source, (out.get(source) ?? 0) + (s.packetsReceived ?? 0));
    });
    return out;
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#timer);
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    try {
      this.pc.close();
    } catch {
      // Already closed.
    }
  }
}
