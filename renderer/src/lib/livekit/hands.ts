// Raised hands, shared over LiveKit data. The team server does not let participants change their
// own attributes (role and name there are the server's word), so the hand cannot be an attribute:
// each person announces { raised, at } on a reliable topic, and re-announces a raised hand to
// everyone who joins later. Everyone sorts by the raiser's own `at`, so the queue order is shared.
import { RoomEvent, type RemoteParticipant, type Room } from 'livekit-client';
import type { Unsubscribe } from './subscribable';

const TOPIC_HAND = 'parley.hand';

interface HandMessage {
  raised: boolean;
  at: number;
}

function parse(payload: Uint8Array): HandMessage | null {
  try {
    const v = JSON.parse(new TextDecoder().decode(payload)) as Partial<HandMessage>;
    if (typeof v.raised !== 'boolean' || typeof v.at !== 'number' || !Number.isFinite(v.at)) return null;
    return { raised: v.raised, at: v.at };
  } catch {
    return null;
  }
}

export class Hands {
  readonly #room: Room;
  readonly #raised = new Map<string, number>();
  readonly #listeners = new Set<() => void>();
  #stop: Unsubscribe | null = null;

  constructor(room: Room) {
    this.#room = room;
  }

  /** Call before connecting, so announcements sent to us on arrival are not missed. */
  start(): Unsubscribe {
    const room = this.#room;
    const onData = (payload: Uint8Array, p?: RemoteParticipant, _k?: unknown, topic?: string): void => {
      if (topic !== TOPIC_HAND || !p) return;
      const msg = parse(payload);
      if (!msg) return;
      if (msg.raised) this.#raised.set(p.identity, msg.at);
      else this.#raised.delete(p.identity);
      this.#emit();
    };
    const onJoin = (p: RemoteParticipant): void => {
      const mine = this.#raised.get(room.localParticipant.identity);
      if (mine !== undefined) void this.#send({ raised: true, at: mine }, [p.identity]);
    };
    const onLeave = (p: RemoteParticipant): void => {
      if (this.#raised.delete(p.identity)) this.#emit();
    };
    room.on(RoomEvent.DataReceived, onData);
    room.on(RoomEvent.ParticipantConnected, onJoin);
    room.on(RoomEvent.ParticipantDisconnected, onLeave);
    this.#stop = () => {
      room.off(RoomEvent.DataReceived, onData);
      room.off(RoomEvent.ParticipantConnected, onJoin);
      room.off(RoomEvent.ParticipantDisconnected, onLeave);
    };
    return () => this.stop();
  }

  stop(): void {
    this.#stop?.();
    this.#stop = null;
    this.#listeners.clear();
  }

  get(identity: string): number | null {
    return this.#raised.get(identity) ?? null;
  }

  onChange(listener: () => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async set(raised: boolean): Promise<void> {
    const me = this.#room.localParticipant.identity;
    const at = raised ? Date.now() : 0;
    await this.#send({ raised, at });
    if (raised) this.#raised.set(me, at);
    else this.#raised.delete(me);
    this.#emit();
  }

  async #send(msg: HandMessage, to?: string[]): Promise<void> {
    const payload = new TextEncoder().encode(JSON.stringify(msg));
    await this.#room.localParticipant.publishData(payload, {
      topic: TOPIC_HAND,
      reliable: true,
      ...(to ? { destinationIdentities: to } : {}),
    });
  }

  #emit(): void {
    for (const l of this.#listeners) l();
  }
}
