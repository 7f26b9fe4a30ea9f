import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe id; 12 bytes (96 bits) is plenty for public ids that are not secrets. */
export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

/** A high-entropy secret (tokens, codes): 32 bytes, URL-safe. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 of a high-entropy secret. Enough for random tokens (no dictionary to attack), unlike
 * passwords, which get argon2. Storing only this means a leaked database holds no usable token.
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
