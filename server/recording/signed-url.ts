// Short-lived download links for recordings kept on local disk: the link carries its expiry and an
// HMAC of (recording id, expiry) under a key only this server holds, so it works without a session
// (a browser's download, a media player) and stops working when it expires.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class UrlSigner {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  private mac(id: string, expires: number): string {
    return createHmac('sha256', this.key).update(`recording:${id}:${expires}`).digest('base64url');
  }

  sign(id: string, expires: number): string {
    return this.mac(id, expires);
  }

  /** 'ok', 'expired' (a genuine link past its time) or 'invalid'. */
  check(id: string, expires: number, sig: string, now = Date.now()): 'ok' | 'expired' | 'invalid' {
    const want = Buffer.from(this.mac(id, expires));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid';
    return expires * 1000 <= now ? 'expired' : 'ok';
  }
}
