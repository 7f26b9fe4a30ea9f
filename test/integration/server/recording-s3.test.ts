// Recordings kept in an S3-compatible bucket, against a real one (SeaweedFS's S3 gateway): the MP4
// goes to the bucket, is listed, downloads through S3's own presigned link with the same bytes, the
// link expires, and deleting removes the object. A wrong key or a missing bucket is a coded error at
// start and at upload, and the recording stays on the server's disk, listed and downloadable.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recording } from '@contracts/api';
import type { S3Settings } from '@server/recording/storage';
import { startSeaweedS3, type TestS3 } from '../../support/cluster/seaweedfs';
import { NodeParticipant } from '../../support/node-participant';
import { startStack, type TestStack } from '../../support/stack';
import { eventually, setupAdmin, type SignedIn } from '../../support/team-api';

const BUCKET = 'parley-recordings';
const LINK_SECONDS = 3;
/** Long enough for a few seconds of picture and sound; the file's content is the main test's subject. */
const MEETING_MS = 3_000;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The server's log lines, to find the coded errors it wrote. */
function capturedLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return {
    logger: pino({ level: 'warn' }, stream),
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => raw.join('\n'),
  };
}

describe('recordings in an S3-compatible bucket (SeaweedFS)', () => {
  let s3: TestS3;
  const stacks: TestStack[] = [];
  const people: NodeParticipant[] = [];

  beforeAll(async () => {
    s3 = await startSeaweedS3();
    await s3.createBucket(BUCKET);
  }, 180_000);
  afterAll(async () => {
    for (const p of people) await p.disconnect().catch(() => undefined);
    for (const s of stacks) await s.teardown().catch(() => undefined);
    await s3?.stop();
  });

  function settings(over: Partial<S3Settings> = {}): S3Settings {
    return {
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint: s3.endpoint,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
      prefix: 'meetings/',
      ...over,
    };
  }

  async function serverWith(s: S3Settings) {
    const log = capturedLogger();
    const stack = await startStack({ logger: log.logger, recording: { s3: s, linkSeconds: LINK_SECONDS, hostGraceMs: 60_000 } });
    stacks.push(stack);
    const host = await setupAdmin(stack, 'holly');
    await host.api.createRoom({ name: 'standup', title: 'Standup' });
    return { stack, host, log };
  }

  /** A short meeting of one host, recorded and stopped; resolves with the finished recording. */
  async function recordAMeeting(host: SignedIn): Promise<Recording> {
    const j = await host.api.joinRoom('standup');
    const cam = new NodeParticipant();
    people.push(cam);
    await cam.connect(j.url, j.token);
    await cam.publishSynthetic({ r: 230, g: 20, b: 20 }, 440);
    const rec = await host.api.startRecording('standup');
    await new Promise((r) => setTimeout(r, MEETING_MS));
    await host.api.stopRecording('standup');
    const done = await eventually(
      async () => {
        const r = (await host.api.listRecordings({ room: 'standup' })).recordings.find((x) => x.id === rec.id);
        return r && r.status !== 'processing' && r.status !== 'recording' ? r : undefined;
      },
      'the recording to be finished',
      180_000,
      250,
    );
    await cam.disconnect();
    return done;
  }

  it('uploads the recording, lists it, serves the same bytes by a presigned link that expires, and deletes the object', async () => {
    const { stack, host, log } = await serverWith(settings());
    expect(await stack.context.recordings.storageProblem).toBeUndefined();

    const rec = await recordAMeeting(host);
    expect(rec.status).toBe('ready');
    expect(rec.partial).toBe(false);
    expect(rec.sizeBytes).toBeGreaterThan(1_000);

    // The bucket holds it, under the prefix, whole; the server's disk no longer has the MP4.
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'meetings/' }));
    const key = `meetings/${rec.id}.mp4`;
    expect(listed.Contents?.map((o) => o.Key)).toContain(key);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBe(rec.sizeBytes);
    expect(head.ContentType).toBe('video/mp4');
    expect(existsSync(join(stack.dataDir, 'recordings', rec.id, 'recording.mp4'))).toBe(false);
    const stored = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const storedBytes = await stored.Body!.transformToByteArray();

    // The member's link is S3's own presigned URL: it downloads the very bytes, without any session.
    const link = await host.api.recordingDownload(rec.id);
    expect(link.url.startsWith(`${s3.endpoint}/${BUCKET}/`)).toBe(true);
    const res = await fetch(link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="standup-.*\.mp4"$/);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(got.length).toBe(rec.sizeBytes);
    expect(sha(got)).toBe(sha(storedBytes));
    // A link whose signature is altered is refused by the bucket.
    const tampered = new URL(link.url);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(tampered)).status).toBe(403);

    // Past its time the link stops working.
    await eventually(
      async () => ((await fetch(link.url)).status === 403 ? true : undefined),
      'the presigned link to expire',
      (LINK_SECONDS + 20) * 1000,
      250,
    );

    // Deleting the recording deletes the object; a fresh link is no longer to be had.
    await host.api.deleteRecording(rec.id);
    const gone = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).catch((e: unknown) => e);
    expect((gone as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(404);
    expect((await host.api.listRecordings({ room: 'standup' })).recordings.map((r) => r.id)).not.toContain(rec.id);
    expect(log.lines().filter((l) => typeof l.code === 'string' && String(l.code).startsWith('S3_'))).toEqual([]);
  }, 300_000);

  for (const wrong of [
    { what: 'a wrong secret key', over: { secretAccessKey: 'not-the-secret-key-at-all-0123456789' }, code: 'S3_ACCESS_DENIED' },
    { what: 'a bucket that does not exist', over: { bucket: 'no-such-bucket' }, code: 'S3_BUCKET_MISSING' },
  ] as const) {
    it(`with ${wrong.what}: a coded error at start and at upload, and the recording stays on disk, listed and downloadable`, async () => {
      const { stack, host, log } = await serverWith(settings(wrong.over));
      const problem = await stack.context.recordings.storageProblem;
      expect(problem?.code).toBe(wrong.code);
      expect(log.lines().some((l) => l.code === wrong.code && /recordings will be kept on this server's disk/.test(String(l.msg)))).toBe(
        true,
      );

      const rec = await recordAMeeting(host);
      expect(rec.status).toBe('ready');
      // The upload failed with the same code, and said where the file is.
      await eventually(
        () =>
          log.lines().some((l) => l.code === wrong.code && l.recording === rec.id && /kept on this server's disk/.test(String(l.msg)))
            ? true
            : undefined,
        'the upload failure to be logged',
      );
      const onDisk = join(stack.dataDir, 'recordings', rec.id, 'recording.mp4');
      expect(existsSync(onDisk)).toBe(true);
      const link = await host.api.recordingDownload(rec.id);
      expect(link.url.startsWith(stack.url)).toBe(true);
      const res = await fetch(link.url);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(rec.sizeBytes);
      // Nothing reached the bucket, and no secret key reached the log.
      const inBucket = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'meetings/' }));
      expect(inBucket.Contents?.some((o) => o.Key?.includes(rec.id)) ?? false).toBe(false);
      expect(log.text()).not.toContain(s3.secretAccessKey);
    }, 300_000);
  }
});
