// What the person's own microphone and camera were doing in the call: on or off, and which device.
// Kept as the call goes, because by the time a dropped room says it is disconnected it has already
// unpublished (and stopped) every track; a rejoin on another SFU node starts from this.
import { RoomEvent, Track, type Room } from 'livekit-client';

export interface LocalSourceState {
  enabled: boolean;
  deviceId: string | null;
}

export interface LocalMedia {
  microphone: LocalSourceState;
  camera: LocalSourceState;
  audioOutputId: string | null;
}

const SOURCES = [
  { source: Track.Source.Microphone, key: 'microphone', kind: 'audioinput' },
  { source: Track.Source.Camera, key: 'camera', kind: 'videoinput' },
] as const;

/**
 * Follows the local microphone and camera from the room's events. `initial` is what pre-join
 * handed over (a source that was never published stays as it says). Unpublishing is not followed:
 * Parley turns the camera and microphone off by muting, and the only unpublish of them is the
 * room's own teardown, which must not overwrite what the person had chosen.
 */
export function watchLocalMedia(room: Room, initial: LocalMedia): { current(): LocalMedia; stop(): void } {
  let state: LocalMedia = structuredClone(initial);
  const update = (): void => {
    const next = structuredClone(state);
    for (const { source, key, kind } of SOURCES) {
      const pub = room.localParticipant.getTrackPublication(source);
      if (!pub?.track) continue;
      next[key] = {
        enabled: !pub.isMuted,
        deviceId: pub.track.mediaStreamTrack.getSettings().deviceId ?? room.getActiveDevice(kind) ?? next[key].deviceId,
      };
    }
    next.audioOutputId = room.getActiveDevice('audiooutput') ?? next.audioOutputId;
    state = next;
  };
  const events = [RoomEvent.LocalTrackPublished, RoomEvent.TrackMuted, RoomEvent.TrackUnmuted, RoomEvent.ActiveDeviceChanged] as const;
  for (const e of events) room.on(e, update);
  return {
    current: () => structuredClone(state),
    stop: () => {
      for (const e of events) room.off(e, update);
    },
  };
}
