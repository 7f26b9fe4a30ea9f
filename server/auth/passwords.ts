import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's baseline (19 MiB, 2 passes): tens of ms per hash, affordable per login.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a mismatch, not a crash.
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * Burns the same time as a real verify, for logins naming an unknown user: the response time must
 * not reveal which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummy ??= hashPassword('parley-dummy-password-never-matches');
  await verifyPassword(await dummy, password);
}
