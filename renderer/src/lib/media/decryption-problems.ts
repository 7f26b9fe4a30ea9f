// Turns livekit-client's decryption errors into one sentence a person in the meeting can act on.

export type DecryptionErrorCode = 'E2EE_WRONG_KEY' | 'E2EE_MISSING_KEY' | 'E2EE_INTERNAL' | 'E2EE_UNKNOWN';

export interface DecryptionProblem {
  code: DecryptionErrorCode;
  /** One sentence for the person in the meeting. */
  message: string;
  /** Whose media failed, when known. */
  participant?: string;
}

/**
 * Turns livekit-client's RoomEvent.EncryptionError into something a person can act on. The worker
 * reports `InvalidKey: ...` / `MissingKey: ...` (CryptorErrorReason names) or a CryptorError with
 * a numeric `reason` (0 InvalidKey, 1 MissingKey, 2 InternalError).
 */
export function describeDecryptionError(error: unknown, participantName?: string): DecryptionProblem {
  const who = participantName ? `${participantName}'s` : 'Other participants’';
  let reason: number | undefined;
  let text = '';
  if (error && typeof error === 'object') {
    const r = (error as { reason?: unknown }).reason;
    if (typeof r === 'number') reason = r;
    const m = (error as { message?: unknown }).message;
    if (typeof m === 'string') text = m;
  } else if (typeof error === 'string') {
    text = error;
  }
  const base = participantName ? { participant: participantName } : {};
  if (reason === 0 || /^InvalidKey\b/.test(text) || /invalid key/i.test(text)) {
    return {
      ...base,
      code: 'E2EE_WRONG_KEY',
      message: `${who} audio and video can't be decrypted: your encryption key or passphrase does not match theirs. Leave and rejoin with the right passphrase.`,
    };
  }
  if (reason === 1 || /^MissingKey\b/.test(text) || /missing key/i.test(text)) {
    return {
      ...base,
      code: 'E2EE_MISSING_KEY',
      message: `${who} audio and video can't be decrypted yet: no encryption key has been set for this call.`,
    };
  }
  if (reason === 2 || /^InternalError\b/.test(text)) {
    return {
      ...base,
      code: 'E2EE_INTERNAL',
      message: `Decrypting ${who.replace(/’$|'s$/, '')} media failed inside the app. Try rejoining.`,
    };
  }
  return { ...base, code: 'E2EE_UNKNOWN', message: `End-to-end encryption failed${text ? `: ${text}` : ''}.` };
}
