import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freeTcpPort } from '@server/lib/free-port';
import { startLivekitCluster, type LivekitCluster } from '../../support/cluster/livekit-cluster';
import { startRedis, type TestRedis } from '../../support/cluster/redis';
import { NodeParticipant, TrackKind } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, eventually, setupAdmin } from '../../support/team-api';

describe('a LiveKit cluster: two livekit-server nodes sharing one Redis', () => {
  let redis: TestRedis;
  let cluster: LivekitCluster;
  let stack: TestStack;
  const alice = new NodeParticipant();
  const bob = new NodeParticipant();

  beforeAll(async () => {
    redis = await startRedis();
    const port = await freeTcpPort();
    cluster = await startLivekitCluster({
      binary: inject('livekitBinary'),
      redisPort: redis.port,
      nodes: 2,
      webhookUrls: [`http://127.0.0.1:${port}/livekit/webhook`],
    });
    const [first, second] = cluster.nodes;
    stack = await startStack({
      port,
      livekit: { url: first!.url, ...cluster.keys },
      livekitNodeUrls: [first!.url, second!.url],
    });
  });
  afterAll(async () => {
    await Promise.allSettled([alice.disconnect(), bob.disconnect()]);
    await stack?.teardown();
    await cluster?.stop();
    await redis?.stop();
  });

  it('hands out the nodes in turn; people on different nodes meet in one room and decode each other', async () => {
    const admin = await setupAdmin(stack, 'alice');
    const member = await addUser(stack, admin, 'bob');
    await admin.api.createRoom({ name: 'spread', title: 'Spread' });
    const a = await admin.api.joinRoom('spread');
    const b = await member.api.joinRoom('spread');
    expect(new Set([a.url, b.url])).toEqual(new Set(cluster.nodes.map((n) => n.url)));

    await alice.connect(a.url, a.token);
    await bob.connect(b.url, b.token);
    await alice.publishSynthetic({ r: 200, g: 40, b: 40 });
    await bob.publishSynthetic({ r: 40, g: 40, b: 200 });

    const atBob = await bob.firstVideoFrame(await bob.remoteTrack(a.identity, TrackKind.KIND_VIDEO));
    expect(atBob.average.r).toBeGreaterThan(150);
    expect(atBob.average.b).toBeLessThan(90);
    const atAlice = await alice.firstVideoFrame(await alice.remoteTrack(b.identity, TrackKind.KIND_VIDEO));
    expect(atAlice.average.b).toBeGreaterThan(150);
    expect(atAlice.average.r).toBeLessThan(90);
    expect(await alice.audioPeak(await alice.remoteTrack(b.identity, TrackKind.KIND_AUDIO))).toBeGreaterThan(1000);
    expect(await bob.audioPeak(await bob.remoteTrack(a.identity, TrackKind.KIND_AUDIO))).toBeGreaterThan(1000);

    // The room's webhooks reach the team server from whichever node hosts it: both are listed in it.
    const room = await eventually(async () => {
      const r = (await admin.api.listRooms()).rooms.find((x) => x.name === 'spread');
      return r && r.participants.length === 2 ? r : undefined;
    }, 'both participants listed');
    expect(room.participants.map((p) => p.identity).sort()).toEqual([a.identity, b.identity].sort());
  });
});
