// Chat over LiveKit itself (no team-server round trip), on LiveKit's standard topic `lk.chat` through
// components-core's setupChat: the message format LiveKit's own components and apps use, so chat
// crosses between Parley and any other LiveKit client. (setupChat also sends the legacy
// `lk-chat-topic` packet that older LiveKit clients read.)
import { setupChat, type ReceivedChatMessage } from '@livekit/components-core';
import type { Room } from 'livekit-client';
import { displayNameOf } from './participants';
import type { Unsubscribe } from './subscribable';
import type { ChatMessage } from './types';

export const MAX_CHAT_LENGTH = 4000;

export class Chat {
  readonly #chat: ReturnType<typeof setupChat>;

  /** Call before connecting: the text-stream handler is registered here. */
  constructor(room: Room) {
    this.#chat = setupChat(room);
  }

  /** Others' messages, each once, as they arrive (our own come back from send()). */
  onMessage(handler: (message: ChatMessage) => void): Unsubscribe {
    const seen = new Set<string>();
    // The observable hands over the whole list each time (an edit replaces an entry in place).
    const subscription = this.#chat.messageObservable.subscribe((all) => {
      for (const m of all) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        if (m.from?.isLocal) continue;
        const message = toChatMessage(m, false);
        if (message.text.trim()) handler(message);
      }
    });
    return () => subscription.unsubscribe();
  }

  /** Sends and returns the message as the sender should see it. */
  async send(text: string): Promise<ChatMessage> {
    return toChatMessage(await this.#chat.send(text.slice(0, MAX_CHAT_LENGTH)), true);
  }
}

function toChatMessage(m: ReceivedChatMessage, local: boolean): ChatMessage {
  // A sender that left before its message was read is no longer in the room: no name to show.
  const from = m.from;
  return {
    id: m.id,
    fromIdentity: from?.identity ?? '',
    fromName: from ? displayNameOf(from) : 'Someone who left',
    text: m.message.slice(0, MAX_CHAT_LENGTH),
    at: m.timestamp || Date.now(),
    local,
  };
}
