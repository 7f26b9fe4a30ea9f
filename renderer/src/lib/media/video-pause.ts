// On a link too poor for everything, audio comes first: while our own connection is poor we stop
// receiving others' camera video (the SFU then stops sending it), and take it back once the link
// has been fair or good for two samples in a row. Screen shares stay: they are what people came for
// and cost little at 5 fps.
import { Track, type RemoteTrackPublication, type Room } from 'livekit-client';
import type { QualityLevel } from '../livekit/types';

const RESUME_AFTER_SAMPLES = 2;

export class VideoPauseForAudio {
  readonly #room: Room;
  readonly #paused = new Set<RemoteTrackPublication>();
  #okSamples = 0;

  constructor(room: Room) {
    this.#room = room;
  }

  get active(): boolean {
    return this.#paused.size > 0;
  }

  /** Call with our own level after each stats sample. */
  update(own: QualityLevel): void {
    if (own === 'poor') {
      this.#okSamples = 0;
      for (const p of this.#room.remoteParticipants.values()) {
        for (const pub of p.videoTrackPublications.values()) {
          if (pub.source !== Track.Source.Camera || !pub.isSubscribed || !pub.isEnabled) continue;
          pub.setEnabled(false);
          this.#paused.add(pub);
        }
      }
      return;
    }
    if (!this.#paused.size || own === 'unknown') return;
    if (++this.#okSamples < RESUME_AFTER_SAMPLES) return;
    for (const pub of this.#paused) pub.setEnabled(true);
    this.#paused.clear();
  }
}
