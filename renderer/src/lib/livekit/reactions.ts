// Reactions: small reliable data packets on Parley's own topic (other LiveKit clients ignore it).
import { RoomEvent, type RemoteParticipant, type Room } from 'livekit-client';
import { displayNameOf } from './participants';
import type { Unsubscribe } from './subscribable';
import { REACTIONS, type Reaction, type ReactionEmoji } from './types';

const TOPIC_REACTION = 'parley.reaction';

function isReaction(value: unknown): value is ReactionEmoji {
  return typeof value === 'string' && (REACTIONS as readonly string[]).includes(value);
}

export function onReaction(room: Room, handler: (reaction: Reaction) => void): Unsubscribe {
  const decoder = new TextDecoder();
  const listener = (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string): void => {
    if (topic !== TOPIC_REACTION || !participant) return;
    let emoji: unknown;
    try {
      emoji = (JSON.parse(decoder.decode(payload)) as { emoji?: unknown }).emoji;
    } catch {
      return; // Not ours or malformed: ignore rather than crash the call.
    }
    if (!isReaction(emoji)) return;
    handler({
      id: crypto.randomUUID(),
      fromIdentity: participant.identity,
      fromName: displayNameOf(participant),
      emoji,
      at: Date.now(),
    });
  };
  room.on(RoomEvent.DataReceived, listener);
  return () => {
    room.off(RoomEvent.DataReceived, listener);
  };
}

export async function sendReaction(room: Room, emoji: ReactionEmoji): Promise<Reaction> {
  const payload = new TextEncoder().encode(JSON.stringify({ emoji }));
  await room.localParticipant.publishData(payload, { topic: TOPIC_REACTION, reliable: true });
  const me = room.localParticipant;
  return { id: crypto.randomUUID(), fromIdentity: me.identity, fromName: displayNameOf(me), emoji, at: Date.now() };
}
