// Installed into the web client before any of its scripts (an init script), so the join can be
// broken down without the app's cooperation: it timestamps (performance.now(), one page clock)
//   click     — the click on "Join" (capture listener; armed by the bench just before it clicks)
//   token     — the join request's fetch start and end (POST .../join)
//   signal    — LiveKit's signalling WebSocket (/rtc) created, opened, first message (the join response)
//   ice/dtls  — each RTCPeerConnection reaching connectionState 'connected' (ICE + DTLS done)
//   frame     — the first decoded frame of any remote video track (a MediaStreamTrackProcessor on a
//               clone of the track: decoded frames, independent of how the app renders them)
//   attached  — the app setting that track as the srcObject of one of its own <video> elements
//   shown     — the first frame of it that element presents (requestVideoFrameCallback on the tile's
//               own <video>: expectedDisplayTime, when the compositor puts it on screen)
// and exposes them on window.__joinProbe (the peer connections on window.__joinProbePcs).
export interface JoinProbe {
  armed: boolean;
  click?: number;
  tokenStart?: number;
  tokenEnd?: number;
  wsCreated?: number;
  wsOpen?: number;
  wsFirstMessage?: number;
  /** connectionState 'connected' of each peer connection, in creation order. */
  pcConnected: (number | null)[];
  /** Index of the peer connection the first remote video arrived on. */
  videoPc?: number;
  videoTrackAt?: number;
  firstFrame?: number;
  /** The remote video track first set as a <video>'s srcObject. */
  attached?: number;
  /** The first frame of it that <video> presented. */
  shown?: number;
}

export const joinProbeScript = `(() => {
  const probe = { armed: false, pcConnected: [] };
  window.__joinProbe = probe;
  const now = () => performance.now();
  document.addEventListener('click', () => { if (probe.armed && probe.click === undefined) probe.click = now(); }, true);

  const nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const isJoin = probe.armed && /\\/join(\\?|$)/.test(url) && probe.tokenStart === undefined;
    if (isJoin) probe.tokenStart = now();
    const p = nativeFetch.call(this, input, init);
    if (isJoin) p.then(() => { probe.tokenEnd ??= now(); }, () => undefined);
    return p;
  };

  const NativeWS = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = protocols === undefined ? new NativeWS(url) : new NativeWS(url, protocols);
    if (probe.armed && /\\/rtc/.test(String(url)) && probe.wsCreated === undefined) {
      probe.wsCreated = now();
      ws.addEventListener('open', () => { probe.wsOpen ??= now(); });
      ws.addEventListener('message', () => { probe.wsFirstMessage ??= now(); });
    }
    return ws;
  };
  window.WebSocket.prototype = NativeWS.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });

  // Remote video track ids (from the peer connections) -> the first <video> showing one of them.
  const remoteVideo = new Set();
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    enumerable: srcObject.enumerable,
    get() { return srcObject.get.call(this); },
    set(stream) {
      srcObject.set.call(this, stream);
      const track = stream && typeof stream.getVideoTracks === 'function' ? stream.getVideoTracks()[0] : undefined;
      if (!probe.armed || probe.shown !== undefined || !track || !remoteVideo.has(track.id) || !(this instanceof HTMLVideoElement)) return;
      // Every element the app puts it in (a re-render may replace the first): the first to present wins.
      probe.attached ??= now();
      this.requestVideoFrameCallback((_now, meta) => { probe.shown ??= meta.expectedDisplayTime; });
    },
  });

  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new NativePC(...args);
    if (!probe.armed) return pc;
    const index = probe.pcConnected.length;
    probe.pcConnected.push(null);
    // Kept beside the probe (which must stay JSON): a bench may read their transport stats.
    (window.__joinProbePcs ??= []).push(pc);
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected' && probe.pcConnected[index] === null) probe.pcConnected[index] = now();
    });
    pc.addEventListener('track', (e) => {
      if (e.track.kind !== 'video') return;
      remoteVideo.add(e.track.id);
      if (probe.videoPc !== undefined) return;
      probe.videoPc = index;
      probe.videoTrackAt = now();
      const reader = new MediaStreamTrackProcessor({ track: e.track.clone() }).readable.getReader();
      reader.read().then(({ value }) => {
        probe.firstFrame ??= now();
        value?.close();
        reader.cancel();
      });
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = NativePC.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, NativePC);
})();`;
