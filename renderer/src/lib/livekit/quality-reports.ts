// Each person's own measurement of their link, shared with the room. Only the sender can see its
// upstream loss (the SFU's receiver reports come back to it alone), and the others would otherwise
// blame a lossy stream on their own link or on nobody. Sent on a reliable topic when the level
// changes, again to each newcomer, and repeated while it is not good (in case one went missing).
import { RoomEvent, type RemoteParticipant, type Room } from 'livekit-client';
import type { QualityLevel } from './types';

const TOPIC_QUALITY = 'parley.quality';
const LEVELS: readonly QualityLevel[] = ['good', 'fair', 'poor', 'unknown'];
const REPEAT_MS = 8000;

function parse(payload: Uint8Array): QualityLevel | null {
  try {
    const v = JSON.parse(new TextDecoder().decode(payload)) as { level?: unknown };
    return LEVELS.includes(v.level as QualityLevel) ? (v.level as QualityLevel) : null;
  } catch {
    return null;
  }
}

export class QualityReports {
  readonly #room: Room;
  readonly #reported = new Map<string, QualityLevel>();
  #mine: QualityLevel = 'unknown';
  #sentAt = 0;
  #stop: (() => void) | null = null;

  constructor(room: Room) {
    this.#room = room;
  }

  start(): () => void {
    const room = this.#room;
    const onData = (payload: Uint8Array, p?: RemoteParticipant, _k?: unknown, topic?: string): void => {
      if (topic !== TOPIC_QUALITY || !p) return;
      const level = parse(payload);
      if (level) this.#reported.set(p.identity, level);
    };
    const onJoin = (p: RemoteParticipant): void => {
      if (this.#mine !== 'unknown') this.#send([p.identity]);
    };
    const onLeave = (p: RemoteParticipant): void => void this.#reported.delete(p.identity);
    room.on(RoomEvent.DataReceived, onData);
    room.on(RoomEvent.ParticipantConnected, onJoin);
    room.on(RoomEvent.ParticipantDisconnected, onLeave);
    this.#stop = () => {
      room.off(RoomEvent.DataReceived, onData);
      room.off(RoomEvent.ParticipantConnected, onJoin);
      room.off(RoomEvent.ParticipantDisconnected, onLeave);
    };
    return () => this.#stop?.();
  }

  /** What `identity` last said about their own link ('unknown' when they never did: other clients). */
  reportedBy(identity: string): QualityLevel {
    return this.#reported.get(identity) ?? 'unknown';
  }

  /** Our own measured level, after each stats sample. */
  update(level: QualityLevel, now = Date.now()): void {
    const changed = level !== this.#mine;
    this.#mine = level;
    if (level === 'unknown') return;
    if (changed || (level !== 'good' && now - this.#sentAt >= REPEAT_MS)) this.#send();
  }

  #send(to?: string[]): void {
    if (this.#room.state !== 'connected') return;
    this.#sentAt = Date.now();
    const payload = new TextEncoder().encode(JSON.stringify({ level: this.#mine }));
    void this.#room.localParticipant
      .publishData(payload, { reliable: true, topic: TOPIC_QUALITY, ...(to ? { destinationIdentities: to } : {}) })
      .catch(() => undefined);
  }
}
