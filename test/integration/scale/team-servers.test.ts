import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ApiError, createApiClient } from '@contracts/api-client';
import { runLibpqTool } from '@server/db/database';
import { startLivekitCluster, type LivekitCluster } from '../../support/cluster/livekit-cluster';
import { postgresBinDir, startPostgres, type TestPostgres } from '../../support/cluster/postgres';
import { startRedis, type TestRedis } from '../../support/cluster/redis';
import { startTeamProcess, type TeamProcess } from '../../support/cluster/team-process';
import { anonymous, EventRecorder, PASSWORD, setupAdmin, signIn, type SignedIn } from '../../support/team-api';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: unknown) => (err instanceof ApiError ? err.status : String(err)),
  );

describe('two team server instances sharing PostgreSQL and Redis', () => {
  let redis: TestRedis;
  let postgres: TestPostgres;
  let sfu: LivekitCluster;
  let env: NodeJS.ProcessEnv;
  let a: TeamProcess;
  let b: TeamProcess;
  let admin: SignedIn;

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    sfu = await startLivekitCluster({ binary: inject('livekitBinary'), redisPort: redis.port, nodes: 1 });
    env = {
      DATABASE_URL: await postgres.createDatabase(),
      REDIS_URL: redis.url,
      LIVEKIT_URL: sfu.nodes[0]!.url,
      LIVEKIT_API_KEY: sfu.keys.apiKey,
      LIVEKIT_API_SECRET: sfu.keys.apiSecret,
    };
    // Started together, as an orchestrator starts replicas: the migrations take turns on a lock.
    [a, b] = await Promise.all([startTeamProcess({ env }), startTeamProcess({ env })]);
    // Each printed a code; the one written last is the one the database holds.
    const codes = await Promise.all([a.setupCode(), b.setupCode()]);
    const results = await Promise.allSettled(codes.map((code) => setupAdmin({ url: a.url, setupCode: code }, 'admin')));
    const ok = results.find((r) => r.status === 'fulfilled');
    if (!ok || ok.status !== 'fulfilled')
      throw new Error(
        `setup failed with both codes: ${results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join('; ')}`,
      );
    admin = ok.value;
    // Four servers start here: on a loaded 2-core machine that can take minutes.
  }, 240_000);
  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await sfu?.stop();
    await Promise.allSettled([redis?.stop(), postgres?.stop()]);
  }, 60_000);

  it('a session made on A works on B; a user disabled on A is refused on B at once', async () => {
    const invite = await admin.api.createInvite({ role: 'member' });
    await anonymous(b).register({ inviteCode: invite.code, username: 'morgan', password: PASSWORD, displayName: 'Morgan' });
    const onA = await signIn(a, 'morgan');
    const onB = createApiClient({ baseUrl: b.url, token: onA.token });
    // B serves it, and keeps it in its principal cache from here on.
    expect((await onB.me()).username).toBe('morgan');
    expect((await onB.me()).username).toBe('morgan');

    await admin.api.updateUser(onA.user.id, { disabled: true });
    // No waiting: the very next request on B is refused.
    expect(await refusal(onB.me())).toBe(401);
    expect(await refusal(onA.api.me())).toBe(401);
  });

  it('a guest knocks on B; the host on A sees it on the events stream and admits them; the guest gets in through B', async () => {
    await admin.api.createRoom({ name: 'clinic', title: 'Clinic', options: { allowGuests: true, lobby: true } });
    const link = await admin.api.createGuestLink('clinic', {});
    const events = new EventRecorder(admin.api);
    try {
      await events.waitFor((e) => e.type === 'ready', 'ready');
      const guest = anonymous(b);
      const knock = await guest.guestJoin(link.code, 'Gail');
      if (knock.status !== 'waiting') throw new Error('expected to wait in the lobby');
      const seen = await events.waitFor(
        (e): e is Extract<typeof e, { type: 'lobby.waiting' }> => e.type === 'lobby.waiting' && e.room === 'clinic',
        'lobby.waiting',
      );
      expect(seen.entry.displayName).toBe('Gail');
      // The guest's long poll is held by B while A takes the decision.
      const poll = guest.guestTicket(knock.ticket, 25);
      await admin.api.admitGuest('clinic', seen.entry.id);
      const decided = await poll;
      expect(decided.status).toBe('admitted');
      await events.waitFor((e) => e.type === 'lobby.resolved' && e.id === seen.entry.id, 'lobby.resolved');
    } finally {
      events.stop();
    }
  });

  it('a waiting guest survives a restart of both instances', async () => {
    const link = await admin.api.createGuestLink('clinic', {});
    const knock = await anonymous(a).guestJoin(link.code, 'Pat');
    if (knock.status !== 'waiting') throw new Error('expected to wait in the lobby');

    await Promise.all([a.stop(), b.stop()]);
    [a, b] = await Promise.all([
      startTeamProcess({ env, dataDir: a.dataDir, port: a.port }),
      startTeamProcess({ env, dataDir: b.dataDir, port: b.port }),
    ]);

    const host = createApiClient({ baseUrl: b.url, token: admin.token });
    const { waiting } = await host.listLobby('clinic');
    const pat = waiting.find((w) => w.displayName === 'Pat');
    expect(pat).toBeDefined();
    expect((await anonymous(a).guestTicket(knock.ticket, 0)).status).toBe('waiting');
    await host.admitGuest('clinic', pat!.id);
    expect((await anonymous(a).guestTicket(knock.ticket, 5)).status).toBe('admitted');
  }, 240_000);

  it('backs up the shared database with `parley-server backup`; the dump restores into a new database a fresh instance serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-pg-backup-'));
    try {
      const file = join(dir, 'parley.dump');
      const cli = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'backup', file], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: join(dir, 'unused'), ...env },
      });
      let out = '';
      cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
      cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
      expect(code, out).toBe(0);
      expect(out).toMatch(/database dumped to .*parley\.dump/);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const restored = await postgres.createDatabase();
      const name = new URL(restored).pathname.slice(1);
      await runLibpqTool(join(postgresBinDir()!, 'pg_restore'), ['--no-owner', `--dbname=${name}`, file], restored);
      const c = await startTeamProcess({ env: { ...env, DATABASE_URL: restored } });
      try {
        // The admin signs in there with the password of before, and finds the rooms of before.
        const again = await signIn(c, 'admin');
        expect((await again.api.listRooms()).rooms.map((r) => r.name)).toContain('clinic');
        // A user disabled before the backup stays disabled.
        expect(await refusal(signIn(c, 'morgan'))).toBe(401);
      } finally {
        await c.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
