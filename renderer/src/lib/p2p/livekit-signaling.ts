// Carries direct-call signaling over the LiveKit room everyone is already in: text streams on
// P2P_TOPIC, addressed to one participant. The SFU stamps the sender's identity, so "who sent
// this" cannot be forged by another participant. Text streams chunk what is larger than one data
// packet (an offer is ~10 KB), which plain publishData would not.
import type { Room } from 'livekit-client';
import type { Unsubscribe } from '../livekit/subscribable';
import { encodeMessage, MAX_MESSAGE_CHARS, P2P_TOPIC, type P2pMessage } from './signaling';

export interface SignalingChannel {
  send(to: string, message: P2pMessage): Promise<void>;
  /** Raw text and its sender; decoding and checking are the controller's (it logs what it drops). */
  onMessage(handler: (from: string, text: string) => void): Unsubscribe;
}

export function livekitSignaling(room: Room): SignalingChannel {
  const handlers = new Set<(from: string, text: string) => void>();
  let registered = false;
  const register = (): void => {
    if (registered) return;
    registered = true;
    room.registerTextStreamHandler(P2P_TOPIC, (reader, { identity }) => {
      void (async () => {
        let text = '';
        try {
          for await (const chunk of reader) {
            text += chunk;
            // Stop reading a stream that is already too long to be ours; decode reports it.
            if (text.length > MAX_MESSAGE_CHARS) break;
          }
        } catch {
          // A stream cut short (the sender left) is simply not a message.
          return;
        }
        for (const h of handlers) h(identity, text);
      })();
    });
  };
  return {
    async send(to, message) {
      await room.localParticipant.sendText(encodeMessage(message), { topic: P2P_TOPIC, destinationIdentities: [to] });
    },
    onMessage(handler) {
      register();
      handlers.add(handler);
      return () => {
        handlers.delete(handler);
        if (handlers.size === 0 && registered) {
          registered = false;
          room.unregisterTextStreamHandler(P2P_TOPIC);
        }
      };
    },
  };
}
