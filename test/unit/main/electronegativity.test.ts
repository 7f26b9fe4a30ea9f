// @doyensec/electronegativity over main/ and preload/ together (its global checks, such as
// "navigation is limited" or "a permission handler is set", need both in one run).
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

interface Finding {
  id: string;
  file: string;
  location: { line: number };
  severity: { name?: string; value: number };
  confidence: { name?: string };
  description: string;
}
type Run = (options: Record<string, unknown>, forCli: boolean) => Promise<{ errors: unknown[]; issues: Finding[] }>;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('electronegativity', () => {
  it('finds nothing of high or medium severity in main/ and preload/', async () => {
    // @ts-expect-error the package ships no types
    const module = (await import('@doyensec/electronegativity')) as unknown as { default: Run | { default: Run } };
    const run = (typeof module.default === 'function' ? module.default : module.default.default) as Run;
    const input = mkdtempSync(join(tmpdir(), 'parley-electronegativity-'));
    cpSync(join(ROOT, 'main'), join(input, 'main'), { recursive: true });
    cpSync(join(ROOT, 'preload'), join(input, 'preload'), { recursive: true });
    // AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub: tests talk to
    // loopback only, and knowing about newer Electron releases is the dependency updater's job.
    const result = await run(
      {
        input,
        isSarif: false,
        customScan: [],
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
        isRelative: true,
        electronVersionOverride: '45.4.1',
      },
      false,
    );

    // A file it could not parse would be a file it did not check.
    expect(result.errors).toEqual([]);
    const serious = result.issues
      .filter((issue) => ['HIGH', 'MEDIUM', 'CRITICAL'].includes(issue.severity.name ?? ''))
      .map((issue) => `${issue.id} ${issue.file}:${issue.location.line}`);
    expect(serious).toEqual([]);
    // What remains is the CSP the tool cannot evaluate because it is built at runtime; its
    // content is asserted in security.test.ts.
    expect(result.issues.map((issue) => issue.id)).toEqual(['CSP_GLOBAL_CHECK']);
  }, 120_000);

  it('every suppressed finding is one of the reviewed few', () => {
    const suppressions = [...files(join(ROOT, 'main')), ...files(join(ROOT, 'preload'))].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line) => (line.includes('eng-disable') ? [`${relative(ROOT, file)}:${/eng-disable\s+(\w+)/.exec(line)?.[1]}`] : [])),
    );
    // Adding one means a review: say why next to it and list it here.
    expect(suppressions.sort()).toEqual(
      [
        'main/external-links.ts:OPEN_EXTERNAL_JS_CHECK', // http(s) only, and asked about unless on a team server
        'main/app.ts:OPEN_EXTERNAL_JS_CHECK', // a constant System Settings URL
        'main/app.ts:PROTOCOL_HANDLER_JS_CHECK', // deep links: parseDeepLink, join screen only
        'main/windows.ts:PRELOAD_JS_CHECK', // the typed bridge, exposed to parley://app only
        'main/certificate-pins.ts:CERTIFICATE_VERIFY_PROC_JS_CHECK', // pinned LAN hosts only, else Chromium's verdict
      ].sort(),
    );
  });
});
