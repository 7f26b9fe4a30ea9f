import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@server/config';
import { optionsFromSettings } from '@server/index';

const problems = (env: NodeJS.ProcessEnv, file?: string) => {
  try {
    loadConfig(env, file);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('config', () => {
  it('reads and coerces environment variables', () => {
    const { settings } = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://meet.example.com/',
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
      DATA_DIR: '/var/lib/parley',
    });
    expect(settings).toEqual({
      port: 9000,
      host: '0.0.0.0',
      publicUrl: 'https://meet.example.com',
      trustProxy: ['127.0.0.1', '10.0.0.0/8'],
      dataDir: '/var/lib/parley',
    });
    expect(optionsFromSettings(settings)).toMatchObject({ port: 9000, publicUrl: 'https://meet.example.com', dataDir: '/var/lib/parley' });
  });

  it('reports one clear line per bad value, naming the variable', () => {
    const found = problems({ PORT: 'eighty', PUBLIC_URL: 'ftp://x', LOG_LEVEL: 'loud', SESSION_TTL_HOURS: '0' });
    expect(found).toHaveLength(4);
    expect(found.find((p) => p.startsWith('PORT:'))).toMatch(/integer 0\.\.65535.*"eighty"/);
    expect(found.find((p) => p.startsWith('PUBLIC_URL:'))).toMatch(/http/);
    expect(found.find((p) => p.startsWith('LOG_LEVEL:'))).toMatch(/one of/);
    expect(found.find((p) => p.startsWith('SESSION_TTL_HOURS:'))).toBeDefined();
  });

  it('wants all three LiveKit values or none, and never echoes the secret', () => {
    expect(problems({ LIVEKIT_URL: 'wss://lk.example.com' })).toEqual([expect.stringMatching(/give all three/)]);
    const short = problems({ LIVEKIT_URL: 'wss://lk.example.com', LIVEKIT_API_KEY: 'APIkey', LIVEKIT_API_SECRET: 'hunter2' });
    expect(short.join('\n')).toMatch(/LIVEKIT_API_SECRET: must be at least 32/);
    expect(short.join('\n')).not.toMatch(/hunter2/);
    const { settings } = loadConfig({ LIVEKIT_URL: 'wss://lk.example.com', LIVEKIT_API_KEY: 'APIkey', LIVEKIT_API_SECRET: 's'.repeat(40) });
    expect(optionsFromSettings(settings).livekit).toEqual({ url: 'wss://lk.example.com', apiKey: 'APIkey', apiSecret: 's'.repeat(40) });
  });

  it('reads a JSON config file, lets the environment win and rejects unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
    const file = join(dir, 'parley.json');
    writeFileSync(file, JSON.stringify({ port: 7000, serverName: 'Acme', dataDir: '/srv/parley' }));
    const { settings, sources } = loadConfig({ PORT: '7001' }, file);
    expect(settings).toMatchObject({ port: 7001, serverName: 'Acme', dataDir: '/srv/parley' });
    expect(sources).toMatchObject({ port: 'env', serverName: 'file' });
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(problems({ PARLEY_CONFIG: file })).toEqual([expect.stringMatching(/unknown setting "prot"/)]);
    writeFileSync(file, '{ nope');
    expect(problems({ PARLEY_CONFIG: file })).toEqual([expect.stringMatching(/config file/)]);
  });

  it('never trusts every X-Forwarded-For hop: TRUST_PROXY takes proxy addresses or a hop count', () => {
    // "true" made Fastify believe any client-chosen X-Forwarded-For, so per-address limits were void.
    expect(problems({ TRUST_PROXY: 'true' })).toEqual([expect.stringMatching(/^TRUST_PROXY: true would trust every .*hop/)]);
    expect(problems({ TRUST_PROXY: '127.0.0.1, not-an-ip' })).toEqual([expect.stringMatching(/not-an-ip/)]);
    expect(problems({ TRUST_PROXY: '99' })).toEqual([expect.stringMatching(/1\.\.10/)]);
    expect(loadConfig({ TRUST_PROXY: '1' }).settings.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).settings.trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: 'false' }).settings.trustProxy).toBe(false);
  });
});
