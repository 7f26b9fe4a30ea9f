// Where finished recordings are kept: the data dir (default) or an S3-compatible bucket.
import { createReadStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StorageKind } from '../db/recordings';

export interface S3Settings {
  bucket: string;
  region: string;
  /** For S3-compatible services (SeaweedFS, Ceph, R2...): their URL. Empty for AWS. */
  endpoint?: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addressing (bucket in the path), which most self-hosted services need. */
  forcePathStyle: boolean;
  /** Key prefix, e.g. "parley/". */
  prefix: string;
}

/** Why a store cannot take or give recordings: the operator's to fix, so each says what to check. */
export type StorageErrorCode = 'S3_BUCKET_MISSING' | 'S3_ACCESS_DENIED' | 'S3_UNREACHABLE' | 'S3_UPLOAD_FAILED';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordingStorage {
  readonly kind: StorageKind;
  /** Throws a StorageError when the store cannot take recordings (checked at start, so a wrong setting shows at once). */
  check(): Promise<void>;
  /** Takes the finished file (it may move it) and returns its key. */
  put(id: string, file: string): Promise<string>;
  /** A link to download it until `expires` (epoch seconds); undefined means "serve it yourself". */
  signedUrl(key: string, expires: number, filename: string): Promise<string | undefined>;
  /** A local file to stream, for local storage. */
  open(key: string): { stream: Readable; size: number } | undefined;
  remove(key: string): Promise<void>;
}

/** recordings/<id>/recording.mp4 under the data dir: the file stays where the compositor wrote it, beside its tracks. */
export class LocalStorage implements RecordingStorage {
  readonly kind = 'local' as const;
  constructor(private readonly root: string) {}

  private path(key: string): string {
    const p = resolve(this.root, key);
    // Keys come from our own database, but a path outside the folder is never served.
    if (!p.startsWith(resolve(this.root) + sep)) throw new Error('recording key outside the recordings folder');
    return p;
  }

  async put(id: string, file: string): Promise<string> {
    const key = `${id}/recording.mp4`;
    const target = this.path(key);
    if (resolve(file) !== target) {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      renameSync(file, target);
    }
    return key;
  }

  async check(): Promise<void> {
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  async signedUrl(): Promise<string | undefined> {
    return undefined;
  }

  open(key: string): { stream: Readable; size: number } | undefined {
    const p = this.path(key);
    try {
      return { size: statSync(p).size, stream: createReadStream(p) };
    } catch {
      return undefined;
    }
  }

  async remove(key: string): Promise<void> {
    rmSync(this.path(key), { force: true });
  }
}

/**
 * An S3-compatible bucket: the file is uploaded, and links are S3's own presigned URLs. The AWS SDK
 * is loaded the first time it is needed: most servers keep recordings on disk and never pay for it.
 */
export class S3Storage implements RecordingStorage {
  readonly kind = 's3' as const;
  private sdk: Promise<{ client: S3Client; s3: typeof import('@aws-sdk/client-s3') }> | undefined;

  constructor(private readonly s: S3Settings) {}

  private load() {
    this.sdk ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client({
        region: this.s.region,
        ...(this.s.endpoint ? { endpoint: this.s.endpoint } : {}),
        forcePathStyle: this.s.forcePathStyle,
        credentials: { accessKeyId: this.s.accessKeyId, secretAccessKey: this.s.secretAccessKey },
        // A bucket that does not answer must not hold a recording (or the start) for minutes.
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      }),
    }));
    return this.sdk;
  }

  private where(): string {
    return `bucket "${this.s.bucket}"${this.s.endpoint ? ` at ${this.s.endpoint}` : ''}`;
  }

  /** An SDK error in the operator's words, with a code; the secret key is never part of it. */
  private explain(err: unknown, doing: string): StorageError {
    const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const name = e.Code ?? e.name ?? '';
    const status = e.$metadata?.httpStatusCode;
    if (name === 'NoSuchBucket' || (name === 'NotFound' && doing === 'check'))
      return new StorageError('S3_BUCKET_MISSING', `${this.where()} does not exist: create it or fix RECORDINGS_S3_BUCKET`);
    if (
      ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'InvalidToken', 'ExpiredToken'].includes(name) ||
      status === 403
    )
      return new StorageError(
        'S3_ACCESS_DENIED',
        `${this.where()} refused access key "${this.s.accessKeyId}" (${name || status}): check RECORDINGS_S3_ACCESS_KEY_ID and RECORDINGS_S3_SECRET_ACCESS_KEY`,
      );
    if (status === undefined)
      return new StorageError(
        'S3_UNREACHABLE',
        `${this.where()} could not be reached (${e.message ?? name}): check RECORDINGS_S3_ENDPOINT`,
      );
    return new StorageError('S3_UPLOAD_FAILED', `${doing} in ${this.where()} failed: ${name || status} ${e.message ?? ''}`.trim());
  }

  async check(): Promise<void> {
    const { client, s3 } = await this.load();
    try {
      await client.send(new s3.HeadBucketCommand({ Bucket: this.s.bucket }));
    } catch (err) {
      throw this.explain(err, 'check');
    }
  }

  async put(id: string, file: string): Promise<string> {
    const key = `${this.s.prefix}${id}.mp4`;
    const { client, s3 } = await this.load();
    const { Upload } = await import('@aws-sdk/lib-storage');
    try {
      await new Upload({
        client,
        params: { Bucket: this.s.bucket, Key: key, Body: createReadStream(file), ContentType: 'video/mp4' },
      }).done();
      // Only once the bucket holds every byte is the local copy dropped (the per-track files stay).
      const head = await client.send(new s3.HeadObjectCommand({ Bucket: this.s.bucket, Key: key }));
      if (head.ContentLength !== statSync(file).size)
        throw new StorageError(
          'S3_UPLOAD_FAILED',
          `${this.where()} holds ${head.ContentLength ?? 0} bytes of ${key}, not ${statSync(file).size}`,
        );
    } catch (err) {
      throw err instanceof StorageError ? err : this.explain(err, `uploading ${key}`);
    }
    rmSync(file, { force: true });
    return key;
  }

  async signedUrl(key: string, expires: number, filename: string): Promise<string> {
    const seconds = Math.max(1, Math.round(expires - Date.now() / 1000));
    const { client, s3 } = await this.load();
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(
      client,
      new s3.GetObjectCommand({
        Bucket: this.s.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${filename}"`,
        ResponseContentType: 'video/mp4',
      }),
      { expiresIn: seconds },
    );
  }

  open(): undefined {
    return undefined;
  }

  async remove(key: string): Promise<void> {
    const { client, s3 } = await this.load();
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.s.bucket, Key: key }));
  }
}

export function recordingsDir(dataDir: string): string {
  return join(dataDir, 'recordings');
}
