// The certificate a LAN host serves: made on the first LAN start and kept in the local host's data
// folder. The key pair never changes, so the pin people were given stays valid; when this computer's
// addresses change, a new certificate for the same key names the new ones.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { fingerprintOf, spkiPin } from '../certificate-pins';

export interface LanCertificate {
  key: string;
  cert: string;
  /** base64 SHA-256 of the public key: what links carry and the desktop app pins. */
  pin: string;
  /** "AB:CD:…", what a browser's certificate viewer shows. */
  fingerprint: string;
}

const VALID_DAYS = 825;

function covers(certPem: string, addresses: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (Date.parse(cert.validTo) < Date.now() + 7 * 86_400_000) return false;
    const names = cert.subjectAltName ?? '';
    return addresses.every((address) => names.includes(`IP Address:${address}`));
  } catch {
    return false;
  }
}

export async function lanCertificate(dir: string, addresses: readonly string[]): Promise<LanCertificate> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = join(dir, 'lan-key.pem');
  const publicFile = join(dir, 'lan-public.pem');
  const certFile = join(dir, 'lan-cert.pem');
  const keyPair =
    existsSync(keyFile) && existsSync(publicFile)
      ? { privateKey: readFileSync(keyFile, 'utf8'), publicKey: readFileSync(publicFile, 'utf8') }
      : undefined;
  let cert = keyPair && existsSync(certFile) ? readFileSync(certFile, 'utf8') : null;
  if (!keyPair || !cert || !covers(cert, addresses)) {
    const made = await generate([{ name: 'commonName', value: 'Parley on this computer' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + VALID_DAYS * 86_400_000),
      ...(keyPair ? { keyPair } : {}),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, ...addresses.map((ip) => ({ type: 7 as const, ip }))],
        },
      ],
    });
    if (!keyPair) {
      writeFileSync(keyFile, made.private, { mode: 0o600 });
      writeFileSync(publicFile, made.public, { mode: 0o600 });
    }
    cert = made.cert;
    writeFileSync(certFile, cert, { mode: 0o600 });
  }
  const key = readFileSync(keyFile, 'utf8');
  return { key, cert, pin: spkiPin(cert), fingerprint: fingerprintOf(cert) };
}
