// The bare livekit-client page, the floor Parley's web client is measured against: it fetches a join
// grant, connects, publishes camera and microphone with Parley's own capture and publish settings
// (the media module's options, imported, so the two cannot drift), subscribes, and shows each
// remote video in a plain <video>. Nothing else: no UI framework, no screens, no pre-join.
import { createLocalTracks, Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';
import { cameraCaptureOptions, cameraPublishOptions } from '@renderer/lib/media/camera';
import { audioCaptureOptions, audioPublishOptions } from '@renderer/lib/media/microphone';
import { connectOptions, createRoomOptions } from '@renderer/lib/media/room';

async function main(): Promise<void> {
  const room = new Room(createRoomOptions());
  room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    const el = track.attach();
    if (track.kind === Track.Kind.Video) document.getElementById('tiles')!.appendChild(el);
    else document.body.appendChild(el);
  });
  // The grant and the camera at once, as Parley's pre-join has its preview running before the join.
  const [grant, tracks] = await Promise.all([
    fetch('./token', { method: 'POST' }).then((r) => r.json() as Promise<{ url: string; token: string }>),
    createLocalTracks({ video: cameraCaptureOptions(), audio: audioCaptureOptions() }),
  ]);
  await room.connect(grant.url, grant.token, { ...connectOptions });
  for (const track of tracks) {
    const video = track.kind === Track.Kind.Video;
    await room.localParticipant.publishTrack(track, {
      ...(video ? cameraPublishOptions() : audioPublishOptions()),
      source: video ? Track.Source.Camera : Track.Source.Microphone,
    });
  }
  document.title = 'bare connected';
}

main().catch((err: unknown) => {
  document.title = `bare failed: ${err instanceof Error ? err.message : String(err)}`;
});
