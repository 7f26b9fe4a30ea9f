// End-to-end encryption on the way into a call, per the room's mode: the team server's room key, or
// the passphrase typed in pre-join (asked for when the room wants one and none was typed).
import type { E2eeMode } from '@contracts/api';
import type { E2eeSetup } from '../media/e2ee';
import type { Problem } from '../problems';

export interface E2eeCredentials {
  e2ee: E2eeMode;
  e2eeKey?: string | undefined;
}

/** Joining stopped before the call: the problem to show on pre-join. */
export class JoinRefused extends Error {
  constructor(
    readonly problem: Problem,
    /** The room is encrypted with a passphrase that pre-join must ask for. */
    readonly needsPassphrase = false,
  ) {
    super(problem.message);
  }
}

export async function e2eeForJoin(
  creds: E2eeCredentials,
  passphrase: string,
  create: (mode: Exclude<E2eeMode, 'off'>, secret: string) => Promise<E2eeSetup>,
): Promise<E2eeSetup | null> {
  if (creds.e2ee === 'off') return null;
  const secret = creds.e2ee === 'room-key' ? (creds.e2eeKey ?? '') : passphrase;
  if (creds.e2ee === 'passphrase' && !secret) {
    throw new JoinRefused(
      {
        kind: 'unknown',
        title: 'This meeting is end-to-end encrypted',
        message: 'Enter the passphrase you got from the host, then join again.',
      },
      true,
    );
  }
  try {
    return await create(creds.e2ee, secret);
  } catch (err) {
    throw new JoinRefused({ kind: 'unknown', title: "Can't encrypt this call", message: err instanceof Error ? err.message : String(err) });
  }
}
