// The TURN/TLS listener's certificate when the operator gives none: made on the first run for the
// TURN domain and kept in the data dir. Browsers check TURN/TLS certificates like any other, so a
// self-made one serves only clients told to trust it; the docs say to give a real one
// (TURN_CERT_FILE/TURN_KEY_FILE). Until then clients behind UDP-blocking firewalls still get through
// over ICE-TCP.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

const VALID_DAYS = 825;

export interface TurnCertificateFiles {
  certFile: string;
  keyFile: string;
  /** True when this call made it (first run, or the domain changed). */
  created: boolean;
}

function names(domain: string): string {
  return isIP(domain) ? `IP Address:${domain}` : `DNS:${domain}`;
}

function covers(certPem: string, domain: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (Date.parse(cert.validTo) < Date.now() + 7 * 86_400_000) return false;
    return (cert.subjectAltName ?? '').split(', ').includes(names(domain));
  } catch {
    return false;
  }
}

export async function turnCertificate(dataDir: string, domain: string): Promise<TurnCertificateFiles> {
  const dir = join(dataDir, 'turn-tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile) && covers(readFileSync(certFile, 'utf8'), domain)) {
    return { certFile, keyFile, created: false };
  }
  const made = await generate([{ name: 'commonName', value: domain }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + VALID_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [isIP(domain) ? { type: 7 as const, ip: domain } : { type: 2 as const, value: domain }] },
    ],
  });
  writeFileSync(keyFile, made.private, { mode: 0o600 });
  writeFileSync(certFile, made.cert, { mode: 0o600 });
  return { certFile, keyFile, created: true };
}
