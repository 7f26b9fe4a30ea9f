// Room -> ParticipantSnapshot[]: one subscription that follows joins, leaves, tracks, mutes,
// speaking, names and attributes.
import { RoomEvent, Track, type Participant, type Room } from 'livekit-client';
import type { Hands } from './hands';
import { fromEvents, type Subscribable } from './subscribable';
import { parseRole, type ParticipantSnapshot } from './types';

/** Attribute keys; `role` and `displayName` are set by the team server in the join token. */
export const ATTR_ROLE = 'role';
export const ATTR_DISPLAY_NAME = 'displayName';

const PARTICIPANT_EVENTS = [
  RoomEvent.Connected,
  RoomEvent.Reconnected,
  RoomEvent.Disconnected,
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.TrackSubscribed,
  RoomEvent.TrackUnsubscribed,
  RoomEvent.TrackMuted,
  RoomEvent.TrackUnmuted,
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.ActiveSpeakersChanged,
  RoomEvent.ParticipantNameChanged,
  RoomEvent.ParticipantAttributesChanged,
  RoomEvent.ParticipantMetadataChanged,
] as const;

function liveTrack(p: Participant, source: Track.Source): Track | null {
  const pub = p.getTrackPublication(source);
  if (!pub || pub.isMuted || !pub.track) return null;
  return pub.track;
}

export function snapshotParticipant(p: Participant, hands: Hands | null = null): ParticipantSnapshot {
  const attrs = p.attributes;
  return {
    identity: p.identity,
    name: attrs[ATTR_DISPLAY_NAME] || p.name || p.identity,
    role: parseRole(attrs[ATTR_ROLE]),
    isLocal: p.isLocal,
    joinedAt: p.joinedAt?.getTime() ?? 0,
    micEnabled: p.isMicrophoneEnabled,
    cameraEnabled: p.isCameraEnabled,
    speaking: p.isSpeaking,
    handRaisedAt: hands?.get(p.identity) ?? null,
    cameraTrack: liveTrack(p, Track.Source.Camera),
    micTrack: liveTrack(p, Track.Source.Microphone),
    screenTrack: liveTrack(p, Track.Source.ScreenShare),
    screenAudioTrack: liveTrack(p, Track.Source.ScreenShareAudio),
  };
}

/** Everyone in the room, you first, then in the order they joined. */
export function observeParticipants(room: Room, hands: Hands | null = null): Subscribable<ParticipantSnapshot[]> {
  const read = (): ParticipantSnapshot[] => {
    const remotes = [...room.remoteParticipants.values()]
      .map((p) => snapshotParticipant(p, hands))
      .sort((a, b) => a.joinedAt - b.joinedAt || a.identity.localeCompare(b.identity));
    return room.state === 'disconnected' && !room.localParticipant.sid
      ? remotes
      : [snapshotParticipant(room.localParticipant, hands), ...remotes];
  };
  const events = fromEvents(room, PARTICIPANT_EVENTS, read);
  return {
    subscribe(run) {
      const off = events.subscribe(run);
      const offHands = hands?.onChange(() => run(read()));
      return () => {
        off();
        offHands?.();
      };
    },
  };
}
