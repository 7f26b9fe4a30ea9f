import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeParticipant } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, anonymous, eventually, setupAdmin, signIn } from '../../support/team-api';

async function signedWebhook(stack: TestStack, body: string, secret = stack.livekit.apiSecret): Promise<string> {
  const at = new AccessToken(stack.livekit.apiKey, secret);
  at.sha256 = createHash('sha256').update(body).digest('base64');
  return at.toJwt();
}

describe('webhook verification and restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-restart-'));
  let stack: TestStack | undefined;
  afterAll(async () => {
    await stack?.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rejects unsigned, wrongly signed and tampered webhooks, and records signed ones once', async () => {
    stack = await startStack({ dataDir });
    const admin = await setupAdmin(stack);
    const body = JSON.stringify({
      event: 'room_started',
      id: 'EV_test1',
      createdAt: '1700000000',
      room: { sid: 'RM_fake1', name: 'hooked' },
    });
    const post = (b: string, auth?: string) =>
      fetch(`${stack!.url}/livekit/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/webhook+json', ...(auth ? { authorization: auth } : {}) },
        body: b,
      });

    expect((await post(body)).status).toBe(401);
    expect((await post(body, await signedWebhook(stack, body, 'x'.repeat(40)))).status).toBe(401);
    const good = await signedWebhook(stack, body);
    expect((await post(body.replace('hooked', 'hacked'), good)).status).toBe(401);
    expect((await admin.api.listMeetings({ room: 'hooked' })).meetings).toEqual([]);

    expect((await post(body, good)).status).toBe(204);
    expect((await post(body, good)).status).toBe(204); // a redelivery
    const { meetings } = await admin.api.listMeetings({ room: 'hooked' });
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toMatchObject({
      id: 'RM_fake1',
      room: 'hooked',
      startedAt: new Date(1_700_000_000_000).toISOString(),
      endedAt: null,
    });
  });

  it('loses no accounts, rooms, history or SFU keys across a restart', async () => {
    const first = stack!;
    const admin = await signIn(first, 'admin');
    const member = await addUser(first, admin, 'rita');
    await member.api.createRoom({ name: 'durable', title: 'Durable', options: { e2ee: 'room-key', lobby: true } });
    const key = (await member.api.joinRoom('durable')).e2eeKey;
    const j = await member.api.joinRoom('durable');
    const p = new NodeParticipant();
    await p.connect(j.url, j.token);
    await eventually(
      async () => ((await member.api.listMeetings({ room: 'durable' })).meetings[0]?.attendance.length ? true : undefined),
      'attendance recorded',
    );
    await p.disconnect();
    const keysBefore = readFileSync(join(dataDir, 'livekit-keys.json'), 'utf8');
    await first.close();
    stack = undefined;

    stack = await startStack({ dataDir });
    expect(stack.setupCode).toBeUndefined();
    expect((await anonymous(stack).server()).setupDone).toBe(true);
    expect(readFileSync(join(dataDir, 'livekit-keys.json'), 'utf8')).toBe(keysBefore);
    expect((await anonymous(stack).login({ username: 'rita', password: member.password })).user.id).toBe(member.user.id);
    const again = await signIn(stack, 'rita');
    const room = await again.api.getRoom('durable');
    expect(room.options).toMatchObject({ e2ee: 'room-key', lobby: true });
    expect((await again.api.joinRoom('durable')).e2eeKey).toBe(key);
    const history = await again.api.listMeetings({ room: 'durable' });
    expect(history.meetings[0]?.attendance.map((a) => a.identity)).toContain(j.identity);
    const hooked = await again.api.listMeetings({ room: 'hooked' });
    expect(hooked.meetings).toHaveLength(1);
    // The session issued before the restart is still valid: sessions live in the database.
    const resumed = anonymous(stack);
    resumed.setToken(member.token);
    expect((await resumed.me()).username).toBe('rita');
  });
});
