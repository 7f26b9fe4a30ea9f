// Validates the secret an encrypted room is keyed with (the server's room key or a typed
// passphrase) before any worker starts, so a bad one fails fast with a code.
import { MediaSettingsError } from './errors';

/** The least a passphrase must be: PBKDF2 with a fixed salt means short ones are guessable offline. */
export const MIN_PASSPHRASE_LENGTH = 8;

/**
 * Decodes a room key from the team server (base64 or base64url, at least 128 bits) to raw bytes.
 * Throws MediaSettingsError('E2EE_BAD_KEY').
 */
export function decodeRoomKey(base64: string): ArrayBuffer {
  const clean = base64.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) {
    throw new MediaSettingsError('E2EE_BAD_KEY', 'The room key from the server is not valid base64.');
  }
  const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
  if (bin.length < 16) {
    throw new MediaSettingsError('E2EE_BAD_KEY', `The room key is ${bin.length * 8} bits; at least 128 are needed.`);
  }
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

export function checkPassphrase(passphrase: string): string {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new MediaSettingsError('E2EE_PASSPHRASE_TOO_SHORT', `The passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
  return passphrase;
}
