import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiClient, type ApiClient } from '@contracts/api-client';
import { startLivekitCluster, type LivekitCluster } from '../../support/cluster/livekit-cluster';
import { startPostgres, type TestPostgres } from '../../support/cluster/postgres';
import { startRedis, type TestRedis } from '../../support/cluster/redis';
import { startTeamProcess, type TeamProcess } from '../../support/cluster/team-process';
import { anonymous, PASSWORD, setupAdmin } from '../../support/team-api';

interface Acked {
  invites: Map<string, { code: string; role: 'member' | 'admin' }>;
  links: Map<string, { code: string; label: string; maxUses: number }>;
}

/**
 * Writes as fast as a few clients can, each one an invite or a guest link with fields of its own,
 * and keeps what got a 2xx. Runs until `stop` resolves; a request the kill cut off is simply not
 * counted (its client saw no answer, so nothing was promised).
 */
async function writeUntil(
  api: ApiClient,
  room: string,
  stop: Promise<void>,
  acked: Acked,
  flight: { inFlight: number },
  workers = 4,
): Promise<number> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  let n = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stopped) {
        const i = n++;
        flight.inFlight++;
        try {
          if (i % 2 === 0) {
            const role = i % 4 === 0 ? 'admin' : 'member';
            const inv = await api.createInvite({ role });
            acked.invites.set(inv.id, { code: inv.code, role });
          } else {
            const label = `w-${i}`;
            const maxUses = (i % 500) + 1;
            const link = await api.createGuestLink(room, { label, maxUses });
            acked.links.set(link.id, { code: link.code, label, maxUses });
          }
        } catch {
          failures++;
        } finally {
          flight.inFlight--;
        }
      }
    }),
  );
  return failures;
}

/** Resolves once `count` writes were acknowledged; the kill then lands while others are in flight. */
function afterAcks(acked: Acked, count: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (acked.invites.size + acked.links.size >= count) {
        clearInterval(t);
        resolve();
      }
    }, 5);
  });
}

// One team server, killed with SIGKILL in the middle of a stream of acknowledged writes, on each
// engine: after a restart on the same database, every write that got a 2xx is there whole, and
// works (an invite registers a user, a guest link lets a guest in).
describe.each([
  { engine: 'SQLite (the default)', postgres: false },
  { engine: 'PostgreSQL', postgres: true },
])('kill -9 mid-write on $engine: nothing acknowledged is lost', ({ postgres: onPostgres }) => {
  let redis: TestRedis;
  let sfu: LivekitCluster;
  let pg: TestPostgres | undefined;
  let env: NodeJS.ProcessEnv;
  let team: TeamProcess;

  beforeAll(async () => {
    redis = await startRedis();
    sfu = await startLivekitCluster({ binary: inject('livekitBinary'), redisPort: redis.port, nodes: 1 });
    env = { LIVEKIT_URL: sfu.nodes[0]!.url, LIVEKIT_API_KEY: sfu.keys.apiKey, LIVEKIT_API_SECRET: sfu.keys.apiSecret };
    if (onPostgres) {
      pg = await startPostgres();
      env.DATABASE_URL = await pg.createDatabase();
    }
    team = await startTeamProcess({ env });
  }, 240_000);
  afterAll(async () => {
    await team?.stop();
    await sfu?.stop();
    await Promise.allSettled([redis?.stop(), pg?.stop()]);
  }, 60_000);

  it('every write that got a 2xx is there after the restart, whole and usable', async () => {
    const admin = await setupAdmin({ url: team.url, setupCode: await team.setupCode() }, 'admin');
    await admin.api.createRoom({ name: 'desk', title: 'Desk', options: { allowGuests: true, lobby: false } });
    const acked: Acked = { invites: new Map(), links: new Map() };
    const enough = afterAcks(acked, 60);
    let killed!: () => void;
    const stop = new Promise<void>((r) => (killed = r));
    const flight = { inFlight: 0 };
    const writing = writeUntil(admin.api, 'desk', stop, acked, flight);
    await enough;
    const inFlightAtKill = flight.inFlight;
    await team.kill();
    killed();
    const failures = await writing;
    // Writes were on their way when the process died, and got no answer.
    expect(inFlightAtKill).toBeGreaterThan(0);
    const ackedCount = acked.invites.size + acked.links.size;
    expect(ackedCount).toBeGreaterThanOrEqual(60);

    if (!onPostgres) {
      // The file itself is sound: SQLite finds no damage, before the server touches it again.
      const db = new Database(join(team.dataDir, 'parley.db'), { readonly: true });
      try {
        expect(db.prepare('PRAGMA integrity_check').get()).toMatchObject({ integrity_check: 'ok' });
      } finally {
        db.close();
      }
    }

    team = await startTeamProcess({ env, dataDir: team.dataDir, port: team.port });
    const api = createApiClient({ baseUrl: team.url, token: admin.token });
    const invites = new Map((await api.listInvites()).invites.map((i) => [i.id, i]));
    for (const [id, want] of acked.invites) {
      const got = invites.get(id);
      expect(got, `invite ${id}`).toBeDefined();
      expect(got).toMatchObject({ role: want.role, status: 'open' });
    }
    const links = new Map((await api.listGuestLinks('desk')).links.map((l) => [l.id, l]));
    for (const [id, want] of acked.links) {
      const got = links.get(id);
      expect(got, `guest link ${id}`).toBeDefined();
      expect(got).toMatchObject({ label: want.label, maxUses: want.maxUses, uses: 0 });
    }
    // Rows that exist are whole, acknowledged or not: every one lists with all its fields (the
    // schemas above would have refused a half row), and the last acknowledged ones work.
    const lastInvite = [...acked.invites.values()].at(-1)!;
    const user = await anonymous(team).register({
      inviteCode: lastInvite.code,
      username: 'after',
      password: PASSWORD,
      displayName: 'After',
    });
    expect(user.user.username).toBe('after');
    const lastLink = [...acked.links.values()].at(-1)!;
    expect((await anonymous(team).guestJoin(lastLink.code, 'Guest')).status).toBe('admitted');
    console.info(`[kill-9] ${ackedCount} acknowledged writes, ${failures} cut off by the kill, all acknowledged found`);
  }, 240_000);
});
