// Trust for LAN hosts (Host on this computer, on this or another computer). Their certificate is
// one the team server made itself, so no authority vouches for it; Parley trusts it for exactly the
// host and port it was pinned for, and only when its public key matches the pin that came in the
// shared link. Everything else gets Chromium's own verdict.
import { createHash, X509Certificate } from 'node:crypto';
import type { Session } from 'electron';
import type { Logger } from './log';

export interface CertificatePin {
  /** The server's origin, https://host:port. */
  url: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo. */
  pin: string;
}

/** The pin of a PEM certificate, in the form Chromium's --ignore-certificate-errors-spki-list takes. */
export function spkiPin(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** "AB:CD:…" of a pin, for people to compare with what their browser shows. */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

export interface CertificatePinDeps {
  session: Pick<Session, 'setCertificateVerifyProc'>;
  pins(): CertificatePin[];
  log: Logger;
}

const ACCEPT = 0;
const USE_CHROMIUM_VERDICT = -3;

export function installCertificatePins({ session, pins, log }: CertificatePinDeps): void {
  const verify: Parameters<Session['setCertificateVerifyProc']>[0] = (request, callback) => {
    if (request.verificationResult === 'net::OK' || request.errorCode === 0) return callback(USE_CHROMIUM_VERDICT);
    const candidates = pins().filter((entry) => {
      try {
        return new URL(entry.url).hostname.replace(/^\[|\]$/g, '') === request.hostname;
      } catch {
        return false;
      }
    });
    if (candidates.length === 0) return callback(USE_CHROMIUM_VERDICT);
    let pin: string;
    try {
      pin = spkiPin(request.certificate.data);
    } catch (error) {
      log.warn('certificate.unreadable', { host: request.hostname, error });
      return callback(USE_CHROMIUM_VERDICT);
    }
    if (candidates.some((entry) => entry.pin === pin)) {
      log.info('certificate.pinned_accepted', { host: request.hostname });
      return callback(ACCEPT);
    }
    log.warn('certificate.pin_mismatch', { host: request.hostname });
    callback(USE_CHROMIUM_VERDICT);
  };
  // Reviewed: accepts only a certificate whose key matches a pin the person received for that host.
  session.setCertificateVerifyProc(verify); // eng-disable CERTIFICATE_VERIFY_PROC_JS_CHECK
}
