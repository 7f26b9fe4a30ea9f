// Recording, from a host's start to a listed MP4: starts one recorder per room, turns each ending
// (a host's stop, the meeting ending, the last host leaving, a failure, a full disk, a restart)
// into a recorded reason, composites one recording at a time, stores the file and signs links to it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Recording, RecordingDownload, RecordingEndReason, ServerEvent } from '@contracts/api';
import type { Principal } from '../auth/auth-service';
import { toApiRecording, type RecordingRecord, type RecordingStore } from '../db/recordings';
import type { MeetingStore } from '../db/meetings';
import type { RoomRecord } from '../db/rooms';
import { HttpError, forbidden, notFound } from '../http-errors';
import type { LivekitService } from '../livekit/livekit-service';
import { composite, CompositeError } from './compositor';
import { RecorderProcess, type RecorderEnd } from './recorder-process';
import { UrlSigner } from './signed-url';
import { LocalStorage, StorageError, type RecordingStorage } from './storage';

export interface RecordingSettings {
  /** Where recordings are written while they are made (data dir/recordings). */
  dir: string;
  /** The data dir's run/ folder: a recorder left behind by a killed run is stopped on the next start. */
  runDir?: string | undefined;
  storage: RecordingStorage;
  /** The recorder stops (disk-full) when the folder's file system has less than this free. */
  minFreeBytes: number;
  /** How long a meeting may go on without a host before the recording ends. */
  hostGraceMs: number;
  /** Seconds a download link works. */
  linkSeconds: number;
  fps: number;
}

export const DEFAULT_RECORDING_SETTINGS = {
  minFreeBytes: 256 * 1024 * 1024,
  hostGraceMs: 10_000,
  linkSeconds: 300,
  fps: 15,
} as const;

/** How long the recorder may take to join before the start is refused. */
const JOIN_TIMEOUT_MS = 30_000;

export interface RecordingDeps {
  store: RecordingStore;
  meetings: MeetingStore;
  livekit: LivekitService;
  log: Logger;
  /**
   * Tells every signed-in user (as meeting.started does): the history lists recordings to all
   * members, and those in the room learn of it at once from the SFU as well.
   */
  broadcast(event: ServerEvent): Promise<void>;
  publicUrl(): string;
}

export class RecordingService {
  private readonly running = new Map<string, { proc: RecorderProcess; room: string }>();
  /** Rooms with a start under way: the second of two concurrent starts is refused at once. */
  private readonly starting = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  /** Recorder endings still being written down: closing waits for them before the database goes. */
  private readonly endings = new Set<Promise<void>>();
  private closed = false;
  private readonly closing = new AbortController();
  readonly signer = new UrlSigner();
  /** Where a recording stays when the configured bucket does not take it: nothing is lost to a wrong setting. */
  private readonly local: RecordingStorage;
  /** The configured store's check at start: undefined when it is usable, else why not. */
  storageProblem: Promise<StorageError | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly deps: RecordingDeps,
    readonly settings: RecordingSettings,
  ) {
    this.local = settings.storage.kind === 'local' ? settings.storage : new LocalStorage(settings.dir);
  }

  private storageOf(rec: RecordingRecord): RecordingStorage | undefined {
    if (rec.storage === 'local') return this.local;
    return this.settings.storage.kind === rec.storage ? this.settings.storage : undefined;
  }

  /**
   * Checks the configured store once at start, so a wrong bucket or key is a coded error in the log
   * then, not a surprise after the first meeting. Recording still works: files stay on disk.
   */
  checkStorage(): Promise<StorageError | undefined> {
    this.storageProblem = this.settings.storage.check().then(
      () => undefined,
      (err: unknown) => {
        const e = err instanceof StorageError ? err : new StorageError('S3_UNREACHABLE', (err as Error).message);
        this.deps.log.error(
          { code: e.code, storage: this.settings.storage.kind },
          `recording storage unusable: ${e.message}; recordings will be kept on this server's disk until it is fixed`,
        );
        return e;
      },
    );
    return this.storageProblem;
  }

  private announce(type: 'recording.started' | 'recording.stopped' | 'recording.ready', r: RecordingRecord | undefined): void {
    if (!r) return;
    this.deps
      .broadcast({ type, room: r.room, recording: toApiRecording(r) })
      .catch((err: unknown) => this.deps.log.warn({ err, recording: r.id, type }, 'recording event not sent'));
  }

  async active(room: string): Promise<Recording | null> {
    const r = await this.deps.store.activeIn(room);
    return r ? toApiRecording(r) : null;
  }

  /** Starts recording `room`'s meeting for a host; exactly one recording per room at a time. */
  async start(principal: Principal, room: RoomRecord): Promise<Recording> {
    if (this.closed) throw new HttpError('SFU_UNAVAILABLE', 'the server is shutting down');
    if (room.options.e2ee !== 'off')
      throw new HttpError('RECORDING_NOT_ALLOWED', 'this room is end-to-end encrypted: the server cannot see its media to record it');
    if (!room.options.allowRecording) throw new HttpError('RECORDING_NOT_ALLOWED', 'recording is turned off for this room');
    if (this.starting.has(room.name) || (await this.deps.store.activeIn(room.name)))
      throw new HttpError('RECORDING_ACTIVE', 'this meeting is already being recorded');
    this.starting.add(room.name);
    try {
      if (!(await this.deps.livekit.participants(room.name)).length)
        throw new HttpError('NO_MEETING', 'nobody is in the meeting: join it first, then record');
      mkdirSync(this.settings.dir, { recursive: true, mode: 0o700 });
      const fs = statfsSync(this.settings.dir);
      if (fs.bavail * fs.bsize < this.settings.minFreeBytes)
        throw new HttpError(
          'RECORDING_DISK_FULL',
          `the server's disk is nearly full (${Math.floor((fs.bavail * fs.bsize) / 1_048_576)} MB free, ${Math.ceil(this.settings.minFreeBytes / 1_048_576)} MB needed): free some space, then record`,
        );
      const id = randomBytes(9).toString('hex');
      const meeting = (await this.deps.meetings.list({ room: room.name, limit: 1 }))[0];
      const at = Date.now();
      if (
        !(await this.deps.store.start({
          id,
          room: room.name,
          meetingId: meeting && !meeting.endedAt ? meeting.id : null,
          startedBy: principal.user.id,
          at,
          storage: this.settings.storage.kind,
        }))
      )
        throw new HttpError('RECORDING_ACTIVE', 'this meeting is already being recorded');
      const dir = join(this.settings.dir, id);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      let proc: RecorderProcess;
      try {
        proc = await RecorderProcess.start(
          `recorder-${id}`,
          {
            url: this.deps.livekit.apiUrl,
            token: await this.deps.livekit.recorderToken(room.name, `rec:${id}`),
            dir,
            fps: this.settings.fps,
            minFreeBytes: this.settings.minFreeBytes,
            hostGraceMs: this.settings.hostGraceMs,
          },
          this.deps.log,
          this.settings.runDir,
        );
        this.running.set(id, { proc, room: room.name });
        const ending = proc.ended
          .then((end) => this.ended(id, end))
          .catch((err: unknown) => this.deps.log.error({ err, recording: id }, 'recorder end not recorded'))
          .finally(() => this.endings.delete(ending));
        this.endings.add(ending);
        await proc.joined(JOIN_TIMEOUT_MS);
      } catch (err) {
        this.deps.log.error({ err, recording: id, room: room.name }, 'recorder did not start');
        const running = this.running.get(id);
        this.running.delete(id);
        await running?.proc.close();
        await this.deps.store.failed(id, Date.now(), 'recorder-failed');
        rmSync(dir, { recursive: true, force: true });
        throw new HttpError('SFU_UNAVAILABLE', 'the recorder could not join the meeting; try again');
      }
      const rec = (await this.deps.store.get(id))!;
      this.deps.log.info({ recording: id, room: room.name, by: principal.user.id, pid: proc.pid }, 'recording started');
      this.announce('recording.started', rec);
      return toApiRecording(rec);
    } finally {
      this.starting.delete(room.name);
    }
  }

  /** A host's stop: the recorder finishes its files and leaves; the composite follows. */
  async stop(principal: Principal, room: RoomRecord): Promise<Recording> {
    const rec = await this.deps.store.activeIn(room.name);
    if (!rec) throw new HttpError('NOT_RECORDING', 'this meeting is not being recorded');
    await this.markStopped(rec.id, { reason: 'stopped', partial: false });
    this.deps.log.info({ recording: rec.id, room: room.name, by: principal.user.id }, 'recording stopped');
    const running = this.running.get(rec.id);
    if (running) void running.proc.stop();
    else this.enqueue(rec.id);
    return toApiRecording((await this.deps.store.get(rec.id)) ?? rec);
  }

  private async markStopped(id: string, end: RecorderEnd): Promise<void> {
    if (await this.deps.store.stopped(id, { at: Date.now(), reason: end.reason, partial: end.partial })) {
      this.announce('recording.stopped', await this.deps.store.get(id));
    }
  }

  /** The recorder is gone, however it went: record why (if nobody did yet) and composite. */
  private async ended(id: string, end: RecorderEnd): Promise<void> {
    const entry = this.running.get(id);
    this.running.delete(id);
    if (!entry) return;
    await this.markStopped(id, end);
    if (end.partial) await this.deps.store.markPartial(id, end.reason);
    this.deps.log.info({ recording: id, reason: end.reason, partial: end.partial }, 'recorder finished');
    if (!this.closed) this.enqueue(id);
  }

  /** Composites run one at a time: each uses a whole core or more. */
  private enqueue(id: string): void {
    this.queue = this.queue.then(() => this.finishFile(id)).catch(() => undefined);
  }

  /** Settles when every composite queued so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async finishFile(id: string): Promise<void> {
    if (this.closed) return;
    const rec = await this.deps.store.get(id);
    if (!rec || rec.status !== 'processing') return;
    const dir = join(this.settings.dir, id);
    try {
      const out = await composite(dir, { fps: this.settings.fps, signal: this.closing.signal });
      if (out.truncated) await this.deps.store.markPartial(id, 'recorder-failed');
      const stored = await this.store(id, out.file);
      await this.deps.store.ready(id, { durationMs: out.durationMs, sizeBytes: out.sizeBytes, ...stored });
      this.deps.log.info({ recording: id, durationMs: out.durationMs, sizeBytes: out.sizeBytes }, 'recording ready');
    } catch (err) {
      if (this.closed) return;
      this.deps.log.error({ err, recording: id }, 'recording could not be finished');
      await this.deps.store
        .failed(id, Date.now(), null)
        .catch((e: unknown) => this.deps.log.error({ err: e, recording: id }, 'failure not recorded'));
      if (err instanceof CompositeError && err.code === 'NOTHING_RECORDED') rmSync(dir, { recursive: true, force: true });
    }
    if (this.closed) return;
    this.announce('recording.ready', await this.deps.store.get(id));
  }

  /** Into the configured store; when that refuses it, onto the local disk, listed and downloadable all the same. */
  private async store(id: string, file: string): Promise<{ storageKey: string; storage: 'local' | 's3' }> {
    const primary = this.settings.storage;
    try {
      return { storageKey: await primary.put(id, file), storage: primary.kind };
    } catch (err) {
      if (primary === this.local) throw err;
      const e = err instanceof StorageError ? err : new StorageError('S3_UPLOAD_FAILED', (err as Error).message);
      this.deps.log.error({ code: e.code, recording: id }, `recording not uploaded: ${e.message}; it is kept on this server's disk`);
      return { storageKey: await this.local.put(id, file), storage: 'local' };
    }
  }

  /**
   * At start: recordings an earlier run left 'recording' (it stopped or died mid-meeting) end as
   * partial, and those not yet composited are composited now.
   */
  async recover(): Promise<void> {
    for (const r of await this.deps.store.unfinished()) {
      if (r.status === 'recording') {
        await this.deps.store.stopped(r.id, { at: Date.now(), reason: 'server-restart', partial: true });
        await this.deps.store.markPartial(r.id, 'server-restart');
      }
      if (existsSync(join(this.settings.dir, r.id))) this.enqueue(r.id);
      else await this.deps.store.failed(r.id, Date.now(), 'server-restart');
    }
  }

  async list(q: { room?: string | undefined; before?: number | undefined; limit: number }): Promise<Recording[]> {
    return (await this.deps.store.list(q)).map(toApiRecording);
  }

  /** A short-lived link to a finished recording, for any signed-in member. */
  async download(id: string): Promise<RecordingDownload> {
    const rec = await this.deps.store.get(id);
    if (!rec) throw notFound('recording');
    if (rec.status !== 'ready' || !rec.storageKey) throw new HttpError('CONFLICT', 'the recording is not ready yet');
    const expires = Math.floor(Date.now() / 1000) + this.settings.linkSeconds;
    const name = `${rec.room}-${rec.startedAt.slice(0, 16).replace(/[:T]/g, '-')}.mp4`;
    const storage = this.storageOf(rec);
    if (!storage) throw new HttpError('CONFLICT', `this recording is kept in ${rec.storage} storage, which this server is not set up for`);
    const s3 = await storage.signedUrl(rec.storageKey, expires, name);
    const url =
      s3 ??
      `${this.deps.publicUrl()}/api/v1/recordings/${encodeURIComponent(id)}/file?expires=${expires}&sig=${this.signer.sign(id, expires)}`;
    return { url, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** The file behind a local signed link. */
  async file(id: string, expires: number, sig: string) {
    const verdict = this.signer.check(id, expires, sig);
    if (verdict === 'expired') throw new HttpError('LINK_EXPIRED', 'this download link has expired: ask for a new one');
    if (verdict === 'invalid') throw forbidden('this download link is not valid');
    const rec = await this.deps.store.get(id);
    const opened = rec?.storageKey ? this.storageOf(rec)?.open(rec.storageKey) : undefined;
    if (!rec || !opened) throw notFound('recording');
    return { ...opened, name: `${rec.room}-${rec.startedAt.slice(0, 16).replace(/[:T]/g, '-')}.mp4` };
  }

  async remove(id: string, mayDelete: (room: string) => Promise<boolean>): Promise<void> {
    const rec = await this.deps.store.get(id);
    if (!rec) throw notFound('recording');
    if (!(await mayDelete(rec.room))) throw forbidden('hosts of this room only');
    if (rec.status === 'recording' || rec.status === 'processing') throw new HttpError('CONFLICT', 'stop the recording first');
    if (rec.storageKey) await this.storageOf(rec)?.remove(rec.storageKey);
    rmSync(join(this.settings.dir, id), { recursive: true, force: true });
    await this.deps.store.delete(id);
  }

  /** Server closing: recorders finish their files (the recordings end as partial), composites resume on the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    const all = [...this.running.entries()];
    for (const [id] of all) {
      await this.markStopped(id, { reason: 'server-restart', partial: true });
      await this.deps.store.markPartial(id, 'server-restart');
    }
    await Promise.allSettled(all.map(([, r]) => r.proc.close()));
    await Promise.allSettled([...this.endings]);
    this.running.clear();
    await this.queue;
  }

  /** For tests and diagnostics: the recorder's pid of a running recording. */
  recorderPid(id: string): number | undefined {
    return this.running.get(id)?.proc.pid;
  }
}

export type { RecordingEndReason };
