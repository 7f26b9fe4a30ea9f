import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freeTcpPort } from '@server/lib/free-port';
import { obtainSeaweedfs } from '@scripts/obtain-seaweedfs';
import { startOwned, until, type OwnedProcess } from './process';

export interface TestS3 {
  /** The S3 gateway's URL (path-style addressing). */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A client with the gateway's own keys, for what the test checks beside the server. */
  client: S3Client;
  createBucket(name: string): Promise<void>;
  process: OwnedProcess;
  stop(): Promise<void>;
}

/**
 * A real S3-compatible server: SeaweedFS (master, volume, filer and S3 gateway in one `weed server`)
 * on free loopback ports, in a data dir of its own, with one identity and no bucket made on upload.
 * Nothing leaves the machine: its telemetry is off.
 */
export async function startSeaweedS3(): Promise<TestS3> {
  const weed = await obtainSeaweedfs({ quiet: true });
  const dir = mkdtempSync(join(tmpdir(), 'parley-s3-'));
  const accessKeyId = `parley${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('hex');
  const config = join(dir, 's3.json');
  writeFileSync(
    config,
    JSON.stringify({
      identities: [
        {
          name: 'parley',
          credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
    { mode: 0o600 },
  );
  const ports: number[] = [];
  for (let i = 0; i < 7; i++) ports.push(await freeTcpPort());
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3] = ports as [number, number, number, number, number, number, number];
  const s3Grpc = await freeTcpPort();
  const proc = startOwned(weed, [
    'server',
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-dir=${dir}`,
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    '-master.telemetry=false',
    '-master.volumeSizeLimitMB=64',
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    '-volume.max=4',
    '-volume.preStopSeconds=0',
    '-filer',
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    `-filer.localSocket=${join(dir, 'filer.sock')}`,
    '-s3',
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    `-s3.localSocket=${join(dir, 's3.sock')}`,
    `-s3.config=${config}`,
    // A missing bucket must stay missing: the test checks that it is reported, not papered over.
    '-s3.autoCreateBucket=false',
  ]);
  const endpoint = `http://127.0.0.1:${s3}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
  });
  const stop = async () => {
    client.destroy();
    await proc.stop('SIGTERM', 10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The gateway is up once it can make a bucket (the filer and a writable volume are behind it).
    const probe = `probe-${randomBytes(4).toString('hex')}`;
    await until(
      'seaweedfs s3',
      proc,
      async () => {
        await client.send(new CreateBucketCommand({ Bucket: probe }));
        return true;
      },
      90_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    process: proc,
    stop,
  };
}
