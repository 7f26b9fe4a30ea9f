/**
 * `parley-server`: starts the team server on plain Node from environment variables and/or a JSON
 * config file (see docs/server.md).
 *   parley-server [--config file.json]
 *   parley-server backup <file> [--config file.json]   consistent copy of the database (SQLite or PostgreSQL)
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, SETTINGS } from './config';
import { backupDatabase, backupPostgres } from './db/database';
import { optionsFromSettings, startTeamServer } from './index';
import { findLivekitBinary } from './sfu/livekit-binary';

const HELP = `parley-server: the Parley team server

Usage:
  parley-server [--config <file.json>]
  parley-server backup <file> [--config <file.json>]

Settings (environment variable, or the camelCase key in the config file; env wins):
${Object.entries(SETTINGS)
  .map(([key, s]) => `  ${s.env.padEnd(22)} ${key}`)
  .join('\n')}
See docs/server.md.`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [command, target, ...extra] = args.positionals;
  if (command !== undefined && command !== 'backup') {
    process.stderr.write(`unknown command "${command}"\n\n${HELP}\n`);
    return 2;
  }
  let loaded;
  try {
    loaded = loadConfig(process.env, args.values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const options = optionsFromSettings(loaded.settings);

  if (command === 'backup') {
    if (!target || extra.length) {
      process.stderr.write('usage: parley-server backup <file>\n');
      return 2;
    }
    if (existsSync(target)) {
      process.stderr.write(`${target} exists; choose a new file\n`);
      return 2;
    }
    if (options.databaseUrl) {
      // pg_dump's snapshot of the shared database, taken from any machine that reaches it.
      await backupPostgres(options.databaseUrl, target);
      process.stdout.write(
        `database dumped to ${resolve(target)} (pg_dump custom format, mode 0600: it holds room keys and password hashes; restore with pg_restore)\n`,
      );
      return 0;
    }
    const source = join(options.dataDir, 'parley.db');
    if (!existsSync(source)) {
      process.stderr.write(`no database at ${source}; check DATA_DIR\n`);
      return 2;
    }
    // A consistent snapshot while the server keeps running; the live file is only read.
    backupDatabase(source, target);
    process.stdout.write(`database copied to ${resolve(target)} (mode 0600: it holds room keys and password hashes)\n`);
    return 0;
  }

  if (!options.livekit && !options.livekitBinary) {
    const found = findLivekitBinary();
    if (!found) {
      process.stderr.write(
        'invalid configuration:\n  - no LiveKit: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or put livekit-server on PATH / set LIVEKIT_SERVER_BIN for the embedded SFU\n',
      );
      return 2;
    }
    options.livekitBinary = found;
  }

  const server = await startTeamServer(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.context.log.info({ signal }, 'shutting down');
    void server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // The SFU launcher also hooks these signals to kill its child; closing cleanly first is nicer.
  process.prependListener('SIGTERM', () => stop('SIGTERM'));
  process.prependListener('SIGINT', () => stop('SIGINT'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`parley-server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
