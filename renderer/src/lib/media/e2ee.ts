/// <reference types="vite/client" />
// End-to-end encryption for a room: LiveKit's frame encryption (AES-GCM in a worker, via insertable
// streams), with the worker bundled into the app by Vite (`?worker`), never fetched. Threat model
// of each mode: docs/media.md#end-to-end-encryption.
import { ExternalE2EEKeyProvider, isE2EESupported, RoomEvent, type E2EEOptions, type Participant, type Room } from 'livekit-client';
import E2eeWorker from 'livekit-client/e2ee-worker?worker';
import type { E2eeMode } from '@contracts/api';
import { describeDecryptionError, type DecryptionProblem } from './decryption-problems';
import { checkPassphrase, decodeRoomKey } from './e2ee-keys';
import { MediaSettingsError } from './errors';
import type { E2eeSecret } from '../p2p/auth';

export interface E2eeSetup {
  mode: Exclude<E2eeMode, 'off'>;
  /** The validated secret, for signing a direct call's offer and answer (p2p/auth.ts); stays in memory. */
  secret: E2eeSecret;
  /** Pass as `createRoomOptions({ e2ee: setup })`. */
  roomOptions: E2EEOptions;
  /**
   * Turns encryption on for `room`. Call after `new Room(createRoomOptions({ e2ee: setup }))` and
   * before `room.connect(...)`, so not one frame leaves unencrypted.
   */
  enable(room: Room): Promise<void>;
  /** Ends the worker. The Room does not do it for us. */
  dispose(): void;
}

/**
 * Prepares E2EE for a room.
 * - 'room-key': `secret` is the base64 `e2eeKey` from the team server's join response (HKDF).
 * - 'passphrase': `secret` is what the person typed (PBKDF2); it never leaves this machine.
 * Throws MediaSettingsError with code E2EE_UNSUPPORTED, E2EE_BAD_KEY or E2EE_PASSPHRASE_TOO_SHORT.
 */
export async function createE2eeSetup(mode: Exclude<E2eeMode, 'off'>, secret: string): Promise<E2eeSetup> {
  if (!isE2EESupported()) {
    throw new MediaSettingsError('E2EE_UNSUPPORTED', 'This browser cannot encrypt media end to end.');
  }
  // Validate before starting a worker, so a bad key costs nothing.
  const material: string | ArrayBuffer = mode === 'room-key' ? decodeRoomKey(secret) : checkPassphrase(secret);
  const keyProvider = new ExternalE2EEKeyProvider();
  const worker = new E2eeWorker();
  return {
    mode,
    secret: typeof material === 'string' ? { mode: 'passphrase', passphrase: material } : { mode: 'room-key', key: material },
    roomOptions: { keyProvider, worker },
    async enable(room: Room) {
      // The key is set after the Room has subscribed to the provider, or the E2EE manager misses it.
      await keyProvider.setKey(material);
      await room.setE2EEEnabled(true);
    },
    dispose() {
      worker.terminate();
    },
  };
}

/**
 * Calls `onProblem` when another participant's media cannot be decrypted (wrong or missing key),
 * at most once per participant and code, so the UI can replace that tile's frozen video with the
 * message. Returns the unsubscribe function.
 */
export function watchDecryption(room: Room, onProblem: (problem: DecryptionProblem) => void): () => void {
  const seen = new Set<string>();
  const handler = (error: Error, participant?: Participant) => {
    const problem = describeDecryptionError(error, participant?.name || participant?.identity);
    const key = `${participant?.identity ?? ''}|${problem.code}`;
    if (seen.has(key)) return;
    seen.add(key);
    onProblem(participant ? { ...problem, participant: participant.identity } : problem);
  };
  room.on(RoomEvent.EncryptionError, handler);
  return () => {
    room.off(RoomEvent.EncryptionError, handler);
  };
}

/** For the "encrypted" indicator: true once our own media is being encrypted. */
export function watchEncrypted(room: Room, onChange: (encrypted: boolean) => void): () => void {
  const handler = (enabled: boolean, participant?: Participant) => {
    if (!participant || participant === room.localParticipant) onChange(enabled);
  };
  onChange(room.isE2EEEnabled);
  room.on(RoomEvent.ParticipantEncryptionStatusChanged, handler);
  return () => {
    room.off(RoomEvent.ParticipantEncryptionStatusChanged, handler);
  };
}
