// Lets the end-to-end tests force a reconnect through LiveKit's own simulation, the way a dropped
// SFU connection would. Installed only when the page was opened with the test flag set, so a normal
// page exposes nothing.
import { Track, type Room } from 'livekit-client';
import type { DirectCall } from '../p2p/direct-call';

declare global {
  interface Window {
    __parleyTestHooks?: boolean;
    __parleyTest?: {
      simulate(scenario: 'signal-reconnect' | 'full-reconnect' | 'resume-reconnect'): Promise<void>;
      /** The devices the call captures from now, for tests that a rejoin kept them. */
      devices(): { audioinput: string | undefined; videoinput: string | undefined };
    };
    /** The call's direct-connection machinery, for tests that read its route and its RTCPeerConnection. */
    __parleyDirect?: DirectCall;
  }
}

export function exposeDirectCall(direct: DirectCall): () => void {
  if (typeof window === 'undefined' || window.__parleyTestHooks !== true) return () => undefined;
  window.__parleyDirect = direct;
  return () => {
    if (window.__parleyDirect === direct) delete window.__parleyDirect;
  };
}

export function exposeTestHooks(room: Room): () => void {
  if (typeof window === 'undefined' || window.__parleyTestHooks !== true) return () => undefined;
  window.__parleyTest = {
    simulate: (scenario) => room.simulateScenario(scenario),
    devices: () => {
      const of = (source: Track.Source) =>
        room.localParticipant.getTrackPublication(source)?.track?.mediaStreamTrack.getSettings().deviceId;
      return { audioinput: of(Track.Source.Microphone), videoinput: of(Track.Source.Camera) };
    },
  };
  return () => {
    delete window.__parleyTest;
  };
}
