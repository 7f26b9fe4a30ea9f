// Creates a Parley Room with the media module's options, turns E2EE on before connecting, connects,
// and publishes the pre-join tracks as they are.
import { Room, RoomEvent, Track, type LocalTrack } from 'livekit-client';
import { cameraPublishOptions } from '../media/camera';
import { advertiseCodecSupport } from '../media/codecs';
import type { E2eeSetup } from '../media/e2ee';
import { audioPublishOptions } from '../media/microphone';
import { connectOptions, createRoomOptions } from '../media/room';
import { deriveAuthKey } from '../p2p/auth';
import { DirectCall } from '../p2p/direct-call';
import { Chat } from './chat';
import { Hands } from './hands';
import { watchLocalMedia, type LocalMedia } from './local-media';
import { exposeDirectCall } from './test-hooks';

export interface JoinCredentials {
  url: string;
  token: string;
  /** The room option: two-person calls go direct (peer to peer). Absent from older servers: on. */
  directCalls?: boolean | undefined;
}

export interface JoinMedia {
  /** Tracks from the pre-join preview, published as they are (no second camera prompt). */
  tracks: LocalTrack[];
  audioOutputId: string | null;
  e2ee: E2eeSetup | null;
  /** The chosen microphone and camera, also for a source that starts off and is turned on in the call. */
  inputs?: { audioinput: string | null; videoinput: string | null };
}

export interface ConnectedRoom {
  room: Room;
  hands: Hands;
  chat: Chat;
  /** Direct media while the room is two Parley clients (docs/media.md#direct-calls). */
  direct: DirectCall;
  /** The person's microphone and camera as they are now (on/off, device), for a rejoin after a drop. */
  localMedia: () => LocalMedia;
  /**
   * The pre-join tracks being published. Not awaited by connectRoom: the meeting (and the others'
   * video, subscribed during connect) shows the moment the room is connected, while publishing
   * takes its own negotiation round trips. Rejects with the first track that failed.
   */
  published: Promise<void>;
}

/**
 * Creates the Room (with the media module's options), connects it, and starts publishing.
 * `onSignalConnected` gets the room once the SFU has answered the join, while ICE and DTLS are
 * still under way: the meeting can render then, so its tiles hold their <video> elements when the
 * first remote frame is decoded instead of being laid out after it.
 */
export async function connectRoom(
  creds: JoinCredentials,
  media: JoinMedia,
  onSignalConnected?: (room: Omit<ConnectedRoom, 'published'>) => void,
): Promise<ConnectedRoom> {
  const room = new Room(
    createRoomOptions({
      ...(media.e2ee ? { e2ee: media.e2ee } : {}),
      ...(media.inputs?.audioinput ? { audio: { deviceId: media.inputs.audioinput } } : {}),
      ...(media.inputs?.videoinput ? { videoDeviceId: media.inputs.videoinput } : {}),
    }),
  );
  // livekit-client polls receiver.getStats() every 2 s for each remote track, only to fill
  // track.currentBitrate, which Parley never reads (observeStats samples once per connection): in a
  // 25-tile grid that was ~48 full stats reports per 2 s on the main thread. Tracks start that
  // monitor just before TrackSubscribed, so stop it there.
  room.on(RoomEvent.TrackSubscribed, (track) => track.stopMonitor());
  const hands = new Hands(room);
  hands.start();
  const chat = new Chat(room);
  room.once(RoomEvent.Disconnected, () => hands.stop());
  // In an encrypted room a direct connection must prove the room's secret (p2p/auth.ts).
  const secret = media.e2ee?.secret;
  const direct = new DirectCall(room, {
    allowed: creds.directCalls ?? true,
    authKey: secret ? () => deriveAuthKey(secret, room.name) : null,
  });
  direct.listen();
  const local = watchLocalMedia(room, initialLocalMedia(media));
  room.once(RoomEvent.Disconnected, () => local.stop());
  const localMedia = local.current;
  if (onSignalConnected) room.once(RoomEvent.SignalConnected, () => onSignalConnected({ room, hands, chat, direct, localMedia }));
  try {
    // Encryption is on before the first frame can leave (the media module's contract).
    if (media.e2ee) await media.e2ee.enable(room);
    await room.connect(creds.url, creds.token, { ...connectOptions });
  } catch (err) {
    // A failed connect must not leave a half-set-up Room (or an E2EE worker) behind.
    await room.disconnect();
    hands.stop();
    local.stop();
    media.e2ee?.dispose();
    throw err;
  }
  if (media.e2ee) {
    const e2ee = media.e2ee;
    room.once(RoomEvent.Disconnected, () => e2ee.dispose());
  }
  const stopDirect = direct.start();
  const hideDirect = exposeDirectCall(direct);
  room.once(RoomEvent.Disconnected, () => {
    stopDirect();
    hideDirect();
  });
  if (media.audioOutputId) void room.switchActiveDevice('audiooutput', media.audioOutputId).catch(() => undefined);
  // The media module's codec advertisement. Needs canUpdateOwnMetadata, which the team server does
  // not grant today; without it sharers fall back to VP8 for everyone, so this is best effort.
  if (room.localParticipant.permissions?.canUpdateMetadata) void advertiseCodecSupport(room);
  const published = (async () => {
    for (const track of media.tracks) {
      const video = track.kind === Track.Kind.Video;
      await room.localParticipant.publishTrack(track, {
        ...(video ? cameraPublishOptions() : audioPublishOptions()),
        source: video ? Track.Source.Camera : Track.Source.Microphone,
      });
    }
  })();
  return { room, hands, chat, direct, localMedia, published };
}

function initialLocalMedia(media: JoinMedia): LocalMedia {
  const of = (kind: Track.Kind, chosen: string | null | undefined): LocalMedia['camera'] => {
    const track = media.tracks.find((t) => t.kind === kind);
    return { enabled: !!track && !track.isMuted, deviceId: track?.mediaStreamTrack.getSettings().deviceId ?? chosen ?? null };
  };
  return {
    microphone: of(Track.Kind.Audio, media.inputs?.audioinput),
    camera: of(Track.Kind.Video, media.inputs?.videoinput),
    audioOutputId: media.audioOutputId,
  };
}
