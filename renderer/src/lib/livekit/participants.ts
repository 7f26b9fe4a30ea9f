// Room -> ParticipantSnapshot[]: one subscription that follows joins, leaves, tracks, mutes,
// speaking, names and attributes.
import { observeRoomEvents } from '@livekit/components-core';
import { RoomEvent, Track, type Participant, type Room } from 'livekit-client';
import { asapScheduler, auditTime, map, merge, Observable, skip, startWith } from 'rxjs';
import type { Hands } from './hands';
import { fromObservable, type Subscribable, type Unsubscribe } from './subscribable';
import { parseRole, type ParticipantSnapshot, type TrackHandle } from './types';

/**
 * Tracks that arrive another way than through the SFU (a direct call, lib/p2p/direct-call.ts):
 * for a published, unmuted medium, the handle to show instead of LiveKit's own.
 */
export interface TrackOverrides {
  trackFor(identity: string, source: Track.Source): TrackHandle | undefined;
  onChange(run: () => void): Unsubscribe;
}

/** Attribute keys; `role` and `displayName` are set by the team server in the join token. */
const ATTR_ROLE = 'role';
const ATTR_DISPLAY_NAME = 'displayName';

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
  RoomEvent.ParticipantPermissionsChanged,
] as const;

/** LiveKit protocol's TrackSource.SCREEN_SHARE (livekit-client re-exports no protocol enum). */
const PROTO_SCREEN_SHARE = 3;

/**
 * Whether the SFU lets p publish a screen: the team server limits guests to camera and microphone
 * unless the room allows sharing. An empty source list means every source (LiveKit's rule).
 */
function mayShareScreen(p: Participant): boolean {
  const perm = p.permissions;
  if (!perm) return true;
  return perm.canPublish && (perm.canPublishSources.length === 0 || perm.canPublishSources.includes(PROTO_SCREEN_SHARE));
}

function liveTrack(p: Participant, source: Track.Source, overrides: TrackOverrides | null): TrackHandle | null {
  // Published and unmuted is the SFU's word, whichever path the bytes take.
  const pub = p.getTrackPublication(source);
  if (!pub || pub.isMuted) return null;
  return (!p.isLocal && overrides?.trackFor(p.identity, source)) || pub.track || null;
}

/** The name the team server gave this person, else LiveKit's name, else the identity. */
export function displayNameOf(p: Participant): string {
  return p.attributes[ATTR_DISPLAY_NAME] || p.name || p.identity;
}

function snapshotParticipant(p: Participant, hands: Hands | null, overrides: TrackOverrides | null): ParticipantSnapshot {
  const attrs = p.attributes;
  return {
    identity: p.identity,
    name: displayNameOf(p),
    role: parseRole(attrs[ATTR_ROLE]),
    isLocal: p.isLocal,
    joinedAt: p.joinedAt?.getTime() ?? 0,
    micEnabled: p.isMicrophoneEnabled,
    cameraEnabled: p.isCameraEnabled,
    speaking: p.isSpeaking,
    handRaisedAt: hands?.get(p.identity) ?? null,
    cameraTrack: liveTrack(p, Track.Source.Camera, overrides),
    micTrack: liveTrack(p, Track.Source.Microphone, overrides),
    screenTrack: liveTrack(p, Track.Source.ScreenShare, overrides),
    screenAudioTrack: liveTrack(p, Track.Source.ScreenShareAudio, overrides),
    canShareScreen: mayShareScreen(p),
  };
}

/**
 * Everyone in the room, you first, then in the order they joined. Bursts of events (a participant
 * joining fires half a dozen) become one snapshot per microtask, so a 49-person room does not
 * rebuild it per event.
 */
export function observeParticipants(
  room: Room,
  hands: Hands | null = null,
  overrides: TrackOverrides | null = null,
): Subscribable<ParticipantSnapshot[]> {
  const read = (): ParticipantSnapshot[] => {
    const remotes = [...room.remoteParticipants.values()]
      .map((p) => snapshotParticipant(p, hands, overrides))
      .sort((a, b) => a.joinedAt - b.joinedAt || a.identity.localeCompare(b.identity));
    return room.state === 'disconnected' && !room.localParticipant.sid
      ? remotes
      : [snapshotParticipant(room.localParticipant, hands, overrides), ...remotes];
  };
  const handChanges = new Observable<void>((subscriber) => hands?.onChange(() => subscriber.next()));
  const overrideChanges = new Observable<void>((subscriber) => overrides?.onChange(() => subscriber.next()));
  // observeRoomEvents starts with the room as it is; that first snapshot goes out at once, not coalesced.
  const changes = merge(observeRoomEvents(room, ...PARTICIPANT_EVENTS).pipe(skip(1)), handChanges, overrideChanges).pipe(
    auditTime(0, asapScheduler),
  );
  return fromObservable(changes.pipe(startWith(undefined), map(read)));
}
