// electron-builder.yml cannot be exercised here (no Electron binaries), so it is validated:
// against electron-builder's own schema, and against Parley's rules.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME } from '@contracts/desktop';
import { findLivekitBinary, livekitExecutableName } from '@server/sfu/livekit-binary';

const ROOT = join(import.meta.dirname, '../../..');
type Config = Record<string, unknown> & {
  files: string[];
  extraResources: Array<{ from: string; to: string; filter?: string[] }>;
  protocols: Array<{ schemes: string[] }>;
  electronFuses: Record<string, boolean>;
  publish: { provider: string; url: string };
  forceCodeSigning: boolean;
  mac: {
    target: Array<{ target: string }>;
    hardenedRuntime: boolean;
    notarize: boolean;
    entitlements: string;
    entitlementsInherit: string;
    extendInfo: Record<string, string>;
  };
  win: {
    target: Array<{ target: string }>;
    verifyUpdateCodeSignature: boolean;
    signtoolOptions?: { publisherName: string[]; signingHashAlgorithms: string[]; rfc3161TimeStampServer: string };
    azureSignOptions?: unknown;
  };
  linux: { target: string[]; mimeTypes: string[] };
};
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation", async () => {
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = await import('builder-util');
    await expect(validateConfiguration(config as never, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is live: a misspelt fuse is caught.
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: false } } as never, new DebugLogger(false))).rejects.toThrow(
      /configuration\.electronFuses/,
    );
  }, 60_000); // loading app-builder-lib takes seconds

  it('has the app id and registers the parley: protocol', () => {
    expect(config.appId).toBe('org.parley.desktop');
    expect(config.productName).toBe('Parley');
    expect(config.protocols.flatMap((protocol) => protocol.schemes)).toEqual([APP_SCHEME]);
    expect(config.linux.mimeTypes).toContain(`x-scheme-handler/${APP_SCHEME}`);
  });

  it('builds NSIS for Windows, dmg + zip for macOS, AppImage + deb for Linux', () => {
    expect(config.win.target.map((target) => target.target)).toEqual(['nsis']);
    expect(config.mac.target.map((target) => target.target)).toEqual(['dmg', 'zip']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('ships only built output (files allow-list)', () => {
    const included = config.files.filter((pattern) => !pattern.startsWith('!'));
    expect(included).toEqual(['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**', 'out/server/**']);
    expect(config.files).toContain('!**/*.map');
  });

  it('bundles the SFU binary and tray icons as extra resources, where the app looks for them', () => {
    const livekit = config.extraResources.find((resource) => resource.to === 'livekit');
    expect(livekit?.filter).toEqual(['livekit-server', 'livekit-server.exe']);
    expect(config.extraResources.find((resource) => resource.to === 'tray')?.from).toBe('build/tray');
    // The server module, loaded by the packaged app, finds the SFU in <resources>/<to>/.
    const resources = mkdtempSync(join(tmpdir(), 'parley-resources-'));
    try {
      const shipped = join(resources, livekit!.to, livekitExecutableName());
      mkdirSync(dirname(shipped), { recursive: true });
      writeFileSync(shipped, '');
      expect(findLivekitBinary({ resourcesPath: resources, env: { PATH: '' }, root: undefined })).toBe(shipped);
    } finally {
      rmSync(resources, { recursive: true, force: true });
    }
    const index = readFileSync(join(ROOT, 'main/index.ts'), 'utf8');
    expect(index).toContain("join(process.resourcesPath, 'tray')");
    expect(index).toContain("join(app.getAppPath(), 'out', 'server', 'index.js')");
    for (const state of ['idle', 'live', 'muted']) expect(existsSync(join(ROOT, 'build/tray', `tray-${state}.png`))).toBe(true);
  });

  it('macOS: hardened runtime, entitlements, and usage descriptions for camera, microphone and screen capture', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(ROOT, config.mac.entitlements), 'utf8');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    for (const key of ['com.apple.security.cs.allow-jit', 'com.apple.security.device.camera', 'com.apple.security.device.audio-input']) {
      expect(entitlements).toContain(`<key>${key}</key>`);
    }
    expect(entitlements).not.toContain('allow-dyld-environment-variables');
    for (const key of ['NSCameraUsageDescription', 'NSMicrophoneUsageDescription', 'NSScreenCaptureUsageDescription']) {
      expect(config.mac.extendInfo[key]?.length).toBeGreaterThan(20);
    }
  });

  it('signs releases or fails the build: Windows with a publisher updates are verified against, macOS notarized', () => {
    expect(config.forceCodeSigning).toBe(true);
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    const publishers = config.win.signtoolOptions?.publisherName ?? [];
    expect(publishers.length).toBeGreaterThan(0);
    for (const name of publishers) expect(name.trim()).not.toBe('');
    expect(config.win.signtoolOptions?.signingHashAlgorithms).toEqual(['sha256']);
    expect(config.win.signtoolOptions?.rfc3161TimeStampServer).toMatch(/^https?:\/\//);
    expect(config.win.azureSignOptions).toBeUndefined(); // one signer at a time: electron-builder prefers Azure when both are set
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
  });

  it('holds no signing secret: certificates and credentials come from the environment at build time', () => {
    const text = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    const keys = [...text.matchAll(/^\s*([A-Za-z]+):/gm)].map((match) => match[1]);
    for (const secret of [
      'certificateFile',
      'certificatePassword',
      'certificateSha1',
      'cscLink',
      'cscKeyPassword',
      'appleId',
      'appleIdPassword',
      'password',
    ]) {
      expect(keys, secret).not.toContain(secret);
    }
    // What electron-builder reads instead is written down next to the config.
    for (const variable of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_API_KEY', 'APPLE_TEAM_ID', 'AZURE_CLIENT_SECRET'])
      expect(text).toContain(variable);
  });

  it('validates the Azure Trusted Signing variant the comments describe, and refuses a publisher-less one', async () => {
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = await import('builder-util');
    const { signtoolOptions: _signtool, ...win } = config.win;
    const azure = {
      ...config,
      win: {
        ...win,
        azureSignOptions: {
          publisherName: 'Parley',
          endpoint: 'https://eus.codesigning.azure.net',
          codeSigningAccountName: 'parley',
          certificateProfileName: 'release',
        },
      },
    };
    await expect(validateConfiguration(azure as never, new DebugLogger(false))).resolves.toBeUndefined();
    const withoutPublisher = {
      ...config,
      win: { ...win, azureSignOptions: { endpoint: 'https://x', codeSigningAccountName: 'a', certificateProfileName: 'b' } },
    };
    await expect(validateConfiguration(withoutPublisher as never, new DebugLogger(false))).rejects.toThrow(
      /configuration\.win\.azureSignOptions/,
    );
  }, 60_000);

  it('writes app-update.yml (for the publisher) from a feed that is never used: updates come from the team server', () => {
    expect(config.publish.provider).toBe('generic');
    // RFC 2606: .invalid never resolves. The app calls setFeedURL with its team server's feed first (updates.test.ts).
    expect(new URL(config.publish.url).hostname.endsWith('.invalid')).toBe(true);
    expect(readFileSync(join(ROOT, 'main/updater.ts'), 'utf8')).toContain('setFeedURL');
  });

  it('the app icon is a 1024px PNG', () => {
    const png = readFileSync(join(ROOT, 'build/icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1024);
    expect(png.readUInt32BE(20)).toBe(1024);
  });
});
