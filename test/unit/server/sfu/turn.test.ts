import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@server/config';
import { optionsFromSettings } from '@server/index';
import { buildSfuConfig, generateSfuKeys } from '@server/sfu/livekit-config';
import { turnCertificate } from '@server/sfu/turn-certificate';
import { isRestrictedAddress, parseTurnUrl } from '@server/sfu/turn-config';
import { resolveTurn } from '@server/sfu/turn-setup';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'parley-turn-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const log = pino({ level: 'silent' });

describe('TURN URLs', () => {
  it('reads turn: and turns: with RFC 7065 defaults', () => {
    expect(parseTurnUrl('turn:turn.example.com')).toEqual({ host: 'turn.example.com', port: 3478, protocol: 'udp' });
    expect(parseTurnUrl('turn:turn.example.com:3478?transport=tcp')).toEqual({ host: 'turn.example.com', port: 3478, protocol: 'tcp' });
    expect(parseTurnUrl('turns:turn.example.com')).toEqual({ host: 'turn.example.com', port: 5349, protocol: 'tls' });
    expect(parseTurnUrl('turns:[2001:db8::1]:443?transport=tcp')).toEqual({ host: '2001:db8::1', port: 443, protocol: 'tls' });
  });
  it('refuses what is not one', () => {
    expect(() => parseTurnUrl('stun:x.example.com')).toThrow(/not a TURN URL/);
    expect(() => parseTurnUrl('turns:x.example.com?transport=udp')).toThrow(/TCP, not UDP/);
    expect(() => parseTurnUrl('turn:x.example.com:70000')).toThrow(/out of range/);
  });
  it('knows which addresses a relay may not reach unasked', () => {
    expect(isRestrictedAddress('10.77.3.1')).toBe(true);
    expect(isRestrictedAddress('192.168.1.4')).toBe(true);
    expect(isRestrictedAddress('203.0.113.9')).toBe(false);
  });
});

describe('the SFU config with TURN', () => {
  const base = { keys: generateSfuKeys(), httpPort: 1, rtcTcpPort: 2, udpMuxPort: 3 };
  it('turns on the built-in TURN over UDP and TLS, relaying to the SFU itself only', () => {
    const cfg = buildSfuConfig({
      ...base,
      bindAddress: '10.77.3.1',
      turn: { kind: 'embedded', domain: 'meet.example.com', udpPort: 3478, tlsPort: 443, certFile: '/c.pem', keyFile: '/k.pem' },
    });
    expect(cfg.turn).toEqual({
      enabled: true,
      domain: 'meet.example.com',
      udp_port: 3478,
      tls_port: 443,
      cert_file: '/c.pem',
      key_file: '/k.pem',
      bind_addresses: ['10.77.3.1'],
      allow_restricted_peer_cidrs: ['10.77.3.1/32'],
    });
    expect(cfg.rtc).toMatchObject({ tcp_port: 2, udp_port: 3, allow_tcp_fallback: true });
  });
  it('allows no private peer when the SFU has a public address', () => {
    const cfg = buildSfuConfig({
      ...base,
      bindAddress: '0.0.0.0',
      nodeIp: '203.0.113.9',
      turn: { kind: 'embedded', domain: 'meet.example.com', udpPort: 3478, tlsPort: 0, certFile: '', keyFile: '' },
    });
    expect(cfg.turn).toEqual({ enabled: true, domain: 'meet.example.com', udp_port: 3478, bind_addresses: ['0.0.0.0'] });
  });
  it('hands an external TURN and its shared secret to LiveKit, which signs time-limited credentials', () => {
    const cfg = buildSfuConfig({
      ...base,
      bindAddress: '0.0.0.0',
      turn: {
        kind: 'external',
        servers: [parseTurnUrl('turn:t.example.com:3478'), parseTurnUrl('turns:t.example.com:5349')],
        secret: 's'.repeat(20),
        ttlSeconds: 600,
      },
    });
    expect(cfg.turn).toBeUndefined();
    expect((cfg.rtc as Record<string, unknown>).turn_servers).toEqual([
      { host: 't.example.com', port: 3478, protocol: 'udp', secret: 's'.repeat(20), ttl: 600 },
      { host: 't.example.com', port: 5349, protocol: 'tls', secret: 's'.repeat(20), ttl: 600 },
    ]);
  });
});

describe('choosing TURN', () => {
  it('stays off on loopback, where nobody is behind a firewall', async () => {
    expect(await resolveTurn(undefined, { sfuHost: '127.0.0.1', dataDir: tempDir() }, log)).toBeUndefined();
  });
  it('is on by default for a network SFU, with a certificate made at first run for the public name', async () => {
    const dataDir = tempDir();
    const turn = await resolveTurn(
      { udpPort: 0, tlsPort: 5349 },
      { sfuHost: '0.0.0.0', publicUrl: 'https://meet.example.com', dataDir },
      log,
    );
    expect(turn).toMatchObject({ kind: 'embedded', domain: 'meet.example.com', udpPort: 0, tlsPort: 5349 });
    if (turn?.kind !== 'embedded') throw new Error('expected the built-in TURN');
    const cert = new X509Certificate(readFileSync(turn.certFile));
    expect(cert.subjectAltName).toBe('DNS:meet.example.com');
    expect(statSync(turn.keyFile).mode & 0o077).toBe(0);
    // Kept: the second start reuses it.
    expect((await turnCertificate(dataDir, 'meet.example.com')).created).toBe(false);
    expect((await turnCertificate(dataDir, '10.0.0.5')).created).toBe(true);
  });
  it('uses the operator’s certificate when given', async () => {
    const turn = await resolveTurn(
      { udpPort: 0, tlsPort: 5349, certFile: '/etc/ssl/t.pem', keyFile: '/etc/ssl/t.key', domain: 'turn.example.com' },
      { sfuHost: '0.0.0.0', dataDir: tempDir() },
      log,
    );
    expect(turn).toMatchObject({ domain: 'turn.example.com', certFile: '/etc/ssl/t.pem', keyFile: '/etc/ssl/t.key' });
  });
  it('is off when told', async () => {
    expect(await resolveTurn({ enabled: false }, { sfuHost: '0.0.0.0', dataDir: tempDir() }, log)).toBeUndefined();
  });
});

describe('TURN settings', () => {
  const problems = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };
  it('reads an external coturn from the environment', () => {
    const { settings } = loadConfig({
      TURN_SERVERS: 'turn:turn.example.com:3478, turns:turn.example.com:5349',
      TURN_SECRET: 'x'.repeat(32),
      TURN_TTL_SECONDS: '3600',
    });
    expect(optionsFromSettings(settings).turn).toEqual({
      servers: ['turn:turn.example.com:3478', 'turns:turn.example.com:5349'],
      secret: 'x'.repeat(32),
      ttlSeconds: 3600,
    });
  });
  it('says what is wrong, never echoing the secret', () => {
    const p = problems({ TURN: 'maybe', TURN_SERVERS: 'stun:x.example.com', TURN_SECRET: 'short', TURN_CERT_FILE: '/c.pem' });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^TURN: must be on or off/),
        expect.stringMatching(/^TURN_SERVERS: not a TURN URL/),
        'TURN_SECRET: must be at least 16 characters',
        expect.stringMatching(/^TURN_CERT_FILE and TURN_KEY_FILE/),
      ]),
    );
    expect(problems({ TURN_SERVERS: 'turn:x.example.com' })).toEqual([expect.stringMatching(/^TURN_SERVERS and TURN_SECRET/)]);
    expect(optionsFromSettings(loadConfig({ TURN: 'off' }).settings).turn).toEqual({ enabled: false });
  });
});
