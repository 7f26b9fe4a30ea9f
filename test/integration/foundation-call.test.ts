import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeParticipant, TrackKind } from '../support/node-participant';
import { startStack, type TestStack } from '../support/stack';
import { addUser, setupAdmin } from '../support/team-api';

describe('a call through the team server and the real livekit-server', () => {
  let stack: TestStack;
  const alice = new NodeParticipant();
  const bob = new NodeParticipant();

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await Promise.allSettled([alice.disconnect(), bob.disconnect()]);
    await stack?.teardown();
  });

  it('delivers one participant’s synthetic video and audio to the other', async () => {
    const admin = await setupAdmin(stack, 'alice');
    const member = await addUser(stack, admin, 'bob');
    await admin.api.createRoom({ name: 'standup', title: 'Standup' });
    const a = await admin.api.joinRoom('standup');
    const b = await member.api.joinRoom('standup');
    expect(a.url).toBe(stack.livekitUrl);
    await alice.connect(a.url, a.token);
    await bob.connect(b.url, b.token);
    await alice.publishSynthetic({ r: 200, g: 40, b: 40 });

    const video = await bob.remoteTrack(a.identity, TrackKind.KIND_VIDEO);
    const frame = await bob.firstVideoFrame(video);
    expect(frame.width).toBe(320);
    expect(frame.height).toBe(240);
    // The codec blurs colours a little; the frame must still be clearly Alice's red, not black or green.
    expect(frame.average.r).toBeGreaterThan(150);
    expect(frame.average.g).toBeLessThan(90);
    expect(frame.average.b).toBeLessThan(90);

    const audio = await bob.remoteTrack(a.identity, TrackKind.KIND_AUDIO);
    expect(await bob.audioPeak(audio)).toBeGreaterThan(1000);
  });
});
