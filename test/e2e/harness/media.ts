// A bare page that drives a real livekit Room through Parley's media module, for the media e2e
// tests. It has no UI of its own: the meeting UI is built elsewhere and uses the same module.
import { createLocalVideoTrack, Room, Track, type LocalVideoTrack, type RemoteTrackPublication } from 'livekit-client';
import { backgroundEffectsAvailable, effectStats, setBackgroundEffect } from '@renderer/lib/media/background-processor';
import { cameraCaptureOptions, cameraPublishOptions } from '@renderer/lib/media/camera';
import type { DecryptionProblem } from '@renderer/lib/media/decryption-problems';
import { createE2eeSetup, watchDecryption, watchEncrypted, type E2eeSetup } from '@renderer/lib/media/e2ee';
import { audioCaptureOptions, audioPublishOptions } from '@renderer/lib/media/microphone';
import { sampleSubscribedLayer, type InboundVideoSample } from '@renderer/lib/media/received-layer';
import { connectOptions, createRoomOptions } from '@renderer/lib/media/room';
import type { MediaHarness, OutboundVideoReading, RemoteVideoReading } from './api';

let room: Room | undefined;
let e2ee: E2eeSetup | undefined;
let encrypted = false;
const problems: DecryptionProblem[] = [];
const previous = new Map<string, InboundVideoSample>();
const tiles = document.getElementById('tiles') as HTMLDivElement;
let tile: HTMLVideoElement | undefined;
/** The pre-join preview: the same track is published on join, effect and all. */
let preview: LocalVideoTrack | undefined;
let previewElement: HTMLVideoElement | undefined;

function need(): Room {
  if (!room) throw new Error('not joined');
  return room;
}

function remoteCameras(): RemoteTrackPublication[] {
  const out: RemoteTrackPublication[] = [];
  for (const p of need().remoteParticipants.values()) {
    const pub = p.getTrackPublication(Track.Source.Camera);
    if (pub) out.push(pub);
  }
  return out;
}

function localCamera(): LocalVideoTrack {
  if (preview) return preview;
  const track = need().localParticipant.getTrackPublication(Track.Source.Camera)?.track;
  if (!track) throw new Error('no local camera');
  return track as LocalVideoTrack;
}

const api: MediaHarness = {
  async preview() {
    preview = await createLocalVideoTrack(cameraCaptureOptions());
    const el = document.createElement('video');
    el.muted = true;
    el.style.width = '320px';
    el.style.height = '180px';
    tiles.appendChild(el);
    preview.attach(el);
    previewElement = el;
  },

  previewFrames() {
    return previewElement?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  },

  publicationSid() {
    return need().localParticipant.getTrackPublication(Track.Source.Camera)?.trackSid ?? '';
  },

  async join(input) {
    if (input.e2ee) e2ee = await createE2eeSetup(input.e2ee.mode, input.e2ee.secret);
    room = new Room(createRoomOptions(e2ee ? { e2ee } : {}));
    watchDecryption(room, (p) => problems.push(p));
    watchEncrypted(room, (on) => (encrypted = on));
    if (e2ee) await e2ee.enable(room);
    await room.connect(input.url, input.token, connectOptions);
    if (input.camera && preview) {
      await room.localParticipant.publishTrack(preview, { ...cameraPublishOptions(), source: Track.Source.Camera });
    } else if (input.camera) {
      await room.localParticipant.setCameraEnabled(true, cameraCaptureOptions(), cameraPublishOptions());
    }
    if (input.microphone) await room.localParticipant.setMicrophoneEnabled(true, audioCaptureOptions(), audioPublishOptions());
    return { identity: room.localParticipant.identity };
  },

  async showRemote(size) {
    const pub = remoteCameras()[0];
    const track = pub?.videoTrack;
    if (!track) throw new Error('no remote camera yet');
    if (size === 'hidden') {
      if (tile) {
        track.detach(tile);
        tile.remove();
        tile = undefined;
      }
      return;
    }
    if (!tile) {
      tile = document.createElement('video');
      tile.muted = true;
      tile.autoplay = true;
      tile.playsInline = true;
      tiles.appendChild(tile);
      track.attach(tile);
    }
    tile.style.width = `${size.width}px`;
    tile.style.height = `${size.height}px`;
  },

  remotePixel(fx, fy) {
    if (!tile || !tile.videoWidth) return null;
    const c = document.createElement('canvas');
    c.width = tile.videoWidth;
    c.height = tile.videoHeight;
    const ctx = c.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(tile, 0, 0);
    const d = ctx.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data;
    return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0];
  },

  async remoteVideo() {
    const out: RemoteVideoReading[] = [];
    for (const pub of remoteCameras()) {
      const key = pub.trackSid;
      const read = await sampleSubscribedLayer(pub, previous.get(key));
      if (!read) continue;
      previous.set(key, read.sample);
      const owner = [...need().remoteParticipants.values()].find((p) => p.trackPublications.has(pub.trackSid));
      out.push({
        identity: owner?.identity ?? '',
        frameWidth: read.sample.frameWidth ?? 0,
        frameHeight: read.sample.frameHeight ?? 0,
        framesDecoded: read.sample.framesDecoded ?? 0,
        bytesReceived: read.sample.bytesReceived ?? 0,
        layer: read.layer,
      });
    }
    return out;
  },

  async localVideo() {
    const track = localCamera();
    const report = await track.sender?.getStats();
    const out: OutboundVideoReading = { framesEncoded: 0, bytesSent: 0, activeWidths: [] };
    report?.forEach((s: { type: string; framesEncoded?: number; bytesSent?: number; frameWidth?: number; active?: boolean }) => {
      if (s.type !== 'outbound-rtp') return;
      out.framesEncoded += s.framesEncoded ?? 0;
      out.bytesSent += s.bytesSent ?? 0;
      if (s.active !== false && s.frameWidth) out.activeWidths.push(s.frameWidth);
    });
    out.activeWidths.sort((a, b) => a - b);
    return out;
  },

  async setEffect(effect) {
    const track = localCamera();
    const result = await setBackgroundEffect(track, effect);
    const { cause: _cause, ...rest } = result as typeof result & { cause?: unknown };
    return { ...rest, framesProcessed: effectStats(track).framesProcessed };
  },

  effectFrames() {
    return effectStats(localCamera()).framesProcessed;
  },

  effectsAvailable() {
    return backgroundEffectsAvailable();
  },

  async simulateSubscriberBandwidth(bps) {
    await need().simulateScenario('subscriber-bandwidth', bps);
  },

  encrypted() {
    return encrypted;
  },

  decryptionProblems() {
    return [...problems];
  },

  async leave() {
    await room?.disconnect();
    e2ee?.dispose();
  },
};

window.parleyMedia = api;
document.body.dataset.ready = 'true';
