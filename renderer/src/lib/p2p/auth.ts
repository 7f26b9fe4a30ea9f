// Keeps end-to-end encryption true on a direct connection. Media between two browsers is already
// encrypted end to end by DTLS-SRTP; what the servers could still do is swap the DTLS fingerprints
// in the offer/answer they relay and sit in the middle. So in an encrypted room every offer and
// answer carries an HMAC over the whole SDP (fingerprints included), keyed from the room's E2EE
// secret, which the servers do not hold in passphrase mode. No valid MAC, no direct connection: the
// call stays on the SFU, where LiveKit's frame encryption applies. See docs/media.md.
export type E2eeSecret = { mode: 'room-key'; key: ArrayBuffer } | { mode: 'passphrase'; passphrase: string };

const SALT_PREFIX = 'parley-p2p-auth-v1|';
/** The same cost livekit-client's passphrase derivation pays, once per call. */
const PBKDF2_ITERATIONS = 100_000;

const enc = new TextEncoder();

/** The HMAC key for `room`. Salted with the room name, so one passphrase gives each room its own key. */
export async function deriveAuthKey(secret: E2eeSecret, room: string): Promise<CryptoKey> {
  const salt = enc.encode(SALT_PREFIX + room);
  const hmac = { name: 'HMAC', hash: 'SHA-256', length: 256 } as const;
  if (secret.mode === 'room-key') {
    const base = await crypto.subtle.importKey('raw', secret.key, 'HKDF', false, ['deriveKey']);
    return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: enc.encode('direct-call sdp') }, base, hmac, false, [
      'sign',
      'verify',
    ]);
  }
  const base = await crypto.subtle.importKey('raw', enc.encode(secret.passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS }, base, hmac, false, [
    'sign',
    'verify',
  ]);
}

export interface SignedFields {
  session: string;
  kind: 'offer' | 'answer';
  from: string;
  to: string;
  sdp: string;
}

function material(f: SignedFields): Uint8Array<ArrayBuffer> {
  // Sender and receiver are bound too, so a message cannot be replayed towards someone else.
  return enc.encode([f.session, f.kind, f.from, f.to, f.sdp].join('\n'));
}

function toBase64(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export async function signSdp(key: CryptoKey, fields: SignedFields): Promise<string> {
  return toBase64(await crypto.subtle.sign('HMAC', key, material(fields)));
}

export async function verifySdp(key: CryptoKey, fields: SignedFields, mac: string | undefined): Promise<boolean> {
  if (!mac) return false;
  const bytes = fromBase64(mac);
  if (!bytes) return false;
  return crypto.subtle.verify('HMAC', key, bytes, material(fields));
}
