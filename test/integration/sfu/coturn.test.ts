// An operator's own TURN: Debian's coturn, configured as docs/server.md shows (the test reads the
// example from the docs and fills in its placeholders), the team server given TURN_SERVERS and
// TURN_SECRET, and a participant that may only use relayed candidates. It decodes the other person,
// and coturn's log shows the allocation LiveKit's time-limited credentials opened.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContinualGatheringPolicy, IceTransportType, TrackKind } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort, freeUdpPort } from '@server/lib/free-port';
import { turnCertificate } from '@server/sfu/turn-certificate';
import { NodeParticipant } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { addUser, anonymous, eventually, setupAdmin } from '../../support/team-api';

/** The `/etc/turnserver.conf` example in docs/server.md, as written there. */
function docsExample(): string[] {
  const doc = readFileSync('docs/server.md', 'utf8');
  const block = /Debian's coturn[\s\S]*?```ini\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/server.md has no coturn example (a ```ini block after “Debian's coturn”)");
  return block.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
}

let dir: string;
let coturn: ChildProcess | undefined;
let stack: TestStack | undefined;
const log: string[] = [];
const people: NodeParticipant[] = [];
const secret = randomBytes(24).toString('base64url');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-coturn-'));
  const cert = await turnCertificate(dir, '127.0.0.1');
  const port = await freeUdpPort('127.0.0.1');
  const tlsPort = await freeTcpPort('127.0.0.1');
  const relayStart = 40_000 + Math.floor(Math.random() * 20_000);
  const fill: Record<string, string> = {
    'listening-port': String(port),
    'tls-listening-port': String(tlsPort),
    'static-auth-secret': secret,
    cert: cert.certFile,
    pkey: cert.keyFile,
    'allowed-peer-ip': '127.0.0.1',
  };
  const lines = docsExample().map((line) => {
    const key = line.split('=')[0]!.trim();
    if (line.includes('<') && !(key in fill)) throw new Error(`the docs' coturn example has a placeholder the test does not fill: ${line}`);
    return key in fill ? `${key}=${fill[key]}` : line;
  });
  expect(lines).toEqual(expect.arrayContaining(['use-auth-secret', `static-auth-secret=${secret}`]));
  // This machine only: loopback addresses, a relay range of its own, the SFU on loopback as the one
  // peer (coturn refuses loopback peers unless told), its log on stdout, no files outside `dir`.
  lines.push(
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `min-port=${relayStart}`,
    `max-port=${relayStart + 200}`,
    'allow-loopback-peers',
    'log-file=stdout',
    'simple-log',
    'verbose',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `userdb=${join(dir, 'turndb')}`,
  );
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);
  coturn = spawn('turnserver', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
  coturn.stdout?.on('data', collect);
  coturn.stderr?.on('data', collect);
  await eventually(() => log.some((l) => /listener opened on : 127\.0\.0\.1:\d+/i.test(l)) || undefined, 'coturn listening', 30_000);

  stack = await startStack({ turn: { servers: [`turn:127.0.0.1:${port}?transport=udp`], secret } });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(people.map((p) => p.disconnect()));
  await stack?.teardown();
  coturn?.kill('SIGTERM');
  if (coturn && coturn.exitCode === null) await new Promise((r) => coturn!.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
});

describe('an external TURN (Debian coturn) as docs/server.md configures it', () => {
  it('hands out credentials coturn accepts, and a relay-only participant decodes the other person through it', async () => {
    expect(stack!.sfu?.turn).toMatchObject({ kind: 'external' });
    const admin = await setupAdmin(stack!);
    const api = anonymous(stack!);
    api.setToken(admin.token);
    await api.createRoom({ name: 'relay', title: 'Relay', options: { allowGuests: true, lobby: false } });
    const speakerJoin = await api.joinRoom('relay');
    const speaker = new NodeParticipant();
    people.push(speaker);
    await speaker.connect(speakerJoin.url, speakerJoin.token);
    await speaker.publishSynthetic({ r: 220, g: 40, b: 40 });

    const member = await addUser(stack!, admin, 'grace');
    const relayedJoin = await member.api.joinRoom('relay');
    const relayed = new NodeParticipant();
    people.push(relayed);
    await relayed.connect(relayedJoin.url, relayedJoin.token, {
      iceTransportType: IceTransportType.TRANSPORT_RELAY,
      continualGatheringPolicy: ContinualGatheringPolicy.GATHER_CONTINUALLY,
      iceServers: [],
    });
    const track = await relayed.remoteTrack(speakerJoin.identity, TrackKind.KIND_VIDEO);
    const frame = await relayed.firstVideoFrame(track);
    expect(frame.average.r).toBeGreaterThan(150);
    expect(frame.average.g).toBeLessThan(100);
    // coturn opened the relay for LiveKit's credentials (`expiry:participant`, signed with the
    // secret), for this participant.
    const sid = relayed.room.localParticipant?.sid ?? '';
    expect(sid).not.toBe('');
    await eventually(
      () => log.find((l) => /ALLOCATE processed, success/.test(l) && new RegExp(`user <\\d+:${sid}>`).test(l)),
      `a coturn allocation for ${sid}; coturn said:\n${log.slice(-20).join('\n')}`,
      30_000,
    );
  }, 120_000);
});
