// The four media a direct connection carries, in the fixed order of its transceivers: the offer
// always has these four sections, so starting a screen share mid-call is a replaceTrack, never a
// renegotiation, and each side knows which section is which without being told.
import { Track } from 'livekit-client';

export const DIRECT_SOURCES = ['microphone', 'camera', 'screen', 'screen-audio'] as const;
export type DirectSource = (typeof DIRECT_SOURCES)[number];

export const SOURCE_KIND: Readonly<Record<DirectSource, 'audio' | 'video'>> = {
  microphone: 'audio',
  camera: 'video',
  screen: 'video',
  'screen-audio': 'audio',
};

export const LIVEKIT_SOURCE: Readonly<Record<DirectSource, Track.Source>> = {
  microphone: Track.Source.Microphone,
  camera: Track.Source.Camera,
  screen: Track.Source.ScreenShare,
  'screen-audio': Track.Source.ScreenShareAudio,
};

export function directSourceOf(source: Track.Source): DirectSource | null {
  for (const s of DIRECT_SOURCES) if (LIVEKIT_SOURCE[s] === source) return s;
  return null;
}
