import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { randomId, safeEqual } from '../lib/crypto';

const Payload = z.strictObject({ r: z.string().max(64), e: z.number().int(), n: z.string().max(32) });

/**
 * Guest link codes: `<payload>.<hmac>`, payload = base64url JSON {r: room, e: expiry (s), n: nonce}.
 * Signed rather than stored, so links cost nothing until used; they stop working when they expire,
 * when the room stops allowing guests, or when the room is deleted.
 */
export class GuestLinkSigner {
  constructor(private readonly key: Buffer) {}

  sign(room: string, expiresAtMs: number): string {
    const payload = Buffer.from(JSON.stringify({ r: room, e: Math.floor(expiresAtMs / 1000), n: randomId(6) })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The room of a valid, unexpired code; undefined otherwise (never throws on junk). */
  verify(code: string, now = Date.now()): string | undefined {
    const [payload, mac, extra] = code.split('.');
    if (!payload || !mac || extra !== undefined || !safeEqual(mac, this.mac(payload))) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = Payload.safeParse(data);
    if (!parsed.success || parsed.data.e * 1000 <= now) return undefined;
    return parsed.data.r;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(`guest-link:${payload}`).digest('base64url');
  }
}
