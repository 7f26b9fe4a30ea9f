// Chat and reactions over LiveKit itself: no team-server round trip. Chat uses text streams (any
// length, ordered); reactions are small reliable data packets. Raised hands: see hands.ts.
import { RoomEvent, type RemoteParticipant, type Room } from 'livekit-client';
import type { Unsubscribe } from './subscribable';
import { ATTR_DISPLAY_NAME } from './participants';
import { REACTIONS, type ChatMessage, type Reaction, type ReactionEmoji } from './types';

export const TOPIC_CHAT = 'parley.chat';
export const TOPIC_REACTION = 'parley.reaction';
export const MAX_CHAT_LENGTH = 4000;

function nameOf(room: Room, identity: string): string {
  const p = identity === room.localParticipant.identity ? room.localParticipant : room.remoteParticipants.get(identity);
  return p?.attributes[ATTR_DISPLAY_NAME] || p?.name || identity;
}

export function onChat(room: Room, handler: (message: ChatMessage) => void): Unsubscribe {
  room.registerTextStreamHandler(TOPIC_CHAT, (reader, from) => {
    void reader.readAll().then((text) => {
      const trimmed = text.slice(0, MAX_CHAT_LENGTH);
      if (!trimmed.trim()) return;
      handler({
        id: reader.info.id,
        fromIdentity: from.identity,
        fromName: nameOf(room, from.identity),
        text: trimmed,
        at: reader.info.timestamp || Date.now(),
        local: false,
      });
    });
  });
  return () => room.unregisterTextStreamHandler(TOPIC_CHAT);
}

/** Sends and returns the message as the sender should see it (streams are not echoed back). */
export async function sendChat(room: Room, text: string): Promise<ChatMessage> {
  const body = text.slice(0, MAX_CHAT_LENGTH);
  const info = await room.localParticipant.sendText(body, { topic: TOPIC_CHAT });
  return {
    id: info.id,
    fromIdentity: room.localParticipant.identity,
    fromName: nameOf(room, room.localParticipant.identity),
    text: body,
    at: info.timestamp || Date.now(),
    local: true,
  };
}

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
      fromName: nameOf(room, participant.identity),
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
  return { id: crypto.randomUUID(), fromIdentity: me.identity, fromName: nameOf(room, me.identity), emoji, at: Date.now() };
}
