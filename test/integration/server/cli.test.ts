import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '@server/db/database';
import { MIGRATIONS } from '@server/db/migrations';

const run = promisify(execFile);

/** `parley-server` from source (tsx), as an operator runs it (a process each: integration tier); resolves with its exit code and output. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), 'server/cli.ts', ...args], {
      env: { PATH: process.env.PATH, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('parley-server command line', { timeout: 120_000 }, () => {
  it('backs up a live database into a new 0600 file without migrating it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const old = new Database(join(dataDir, 'parley.db'));
    old.exec('PRAGMA journal_mode = WAL');
    migrate(old, MIGRATIONS.slice(0, 1));
    old.close();
    const target = join(dataDir, 'backup.db');
    const result = await cli(['backup', target], { DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/database copied to .*backup\.db/);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const live = new Database(join(dataDir, 'parley.db'));
    expect(schemaVersion(live)).toBe(1);
    live.close();
    // Never over an existing file, and a clear line for a missing database.
    expect((await cli(['backup', target], { DATA_DIR: dataDir })).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const missing = await cli(['backup', join(empty, 'b.db')], { DATA_DIR: empty });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at/);
  });

  it('parses its arguments strictly', async () => {
    const unknown = await cli(['--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    expect((await cli(['restore'])).stderr).toMatch(/unknown command "restore"/);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/TRUST_PROXY/);
  });
});
