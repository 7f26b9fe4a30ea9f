// The direct-call signaling protocol: what two Parley clients say to each other, as LiveKit text
// streams addressed to the one other participant. Every message is checked here before anything
// acts on it; a message that fails is dropped with a code, never thrown into the call.
import { z } from 'zod';

/** The text-stream topic; other LiveKit clients never register it, so they never see these. */
export const P2P_TOPIC = 'parley.p2p';
export const P2P_PROTOCOL_VERSION = 1;

/** Offers with four media sections are ~10 KB; anything far beyond that is not ours. */
export const MAX_MESSAGE_CHARS = 64 * 1024;
const MAX_SDP_CHARS = 48 * 1024;

const Session = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const Hello = z.strictObject({
  t: z.literal('hello'),
  v: z.number().int().min(1).max(1000),
  /** The room allows direct calls, as this client was told when it joined. */
  allow: z.boolean(),
  /** True when answering a hello, so two hellos never ping-pong. */
  ack: z.boolean(),
});

const Sdp = z
  .string()
  .max(MAX_SDP_CHARS)
  .refine((s) => s.startsWith('v=0'), 'not an SDP');

const Offer = z.strictObject({
  t: z.literal('offer'),
  session: Session,
  sdp: Sdp,
  /** HMAC-SHA-256 (base64) binding the SDP's DTLS fingerprint to the room's E2EE secret; see auth.ts. */
  mac: z.string().max(200).optional(),
});

const Answer = z.strictObject({
  t: z.literal('answer'),
  session: Session,
  sdp: Sdp,
  mac: z.string().max(200).optional(),
});

const Candidate = z.strictObject({
  t: z.literal('ice'),
  session: Session,
  candidate: z.string().max(1024),
  sdpMid: z.string().max(32).nullable(),
  sdpMLineIndex: z.number().int().min(0).max(16).nullable(),
});

/** The sender no longer needs the direct connection: it receives everything through the SFU. */
const Switched = z.strictObject({ t: z.literal('switched'), session: Session });

const Bye = z.strictObject({
  t: z.literal('bye'),
  session: Session,
  reason: z.enum(['declined', 'failed', 'closed']),
});

export const P2pMessage = z.discriminatedUnion('t', [Hello, Offer, Answer, Candidate, Switched, Bye]);
export type P2pMessage = z.infer<typeof P2pMessage>;
export type P2pMessageOf<T extends P2pMessage['t']> = Extract<P2pMessage, { t: T }>;

export type DecodeResult =
  { ok: true; message: P2pMessage } | { ok: false; code: 'P2P_TOO_LARGE' | 'P2P_NOT_JSON' | 'P2P_INVALID'; detail: string };

export function encodeMessage(message: P2pMessage): string {
  return JSON.stringify(message);
}

export function decodeMessage(text: string): DecodeResult {
  if (text.length > MAX_MESSAGE_CHARS) return { ok: false, code: 'P2P_TOO_LARGE', detail: `${text.length} characters` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'P2P_NOT_JSON', detail: 'not JSON' };
  }
  const parsed = P2pMessage.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'P2P_INVALID', detail: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid' };
  }
  return { ok: true, message: parsed.data };
}

/** A fresh session id: 128 random bits, url-safe. */
export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
