// One small file per running child in the data dir's run/ folder, so that the next start of the
// same data dir can find and stop a child an earlier run left behind (its lifeline cut as well, or
// a build of Parley that had none).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { runsExecutable, terminate } from './process-table';

const SUFFIX = '.child.json';

const ChildRecord = z.object({
  pid: z.number().int().positive(),
  executable: z.string().min(1),
  owner: z.number().int(),
  startedAt: z.string(),
});
export type ChildRecord = z.infer<typeof ChildRecord>;

export function recordFile(runDir: string, name: string): string {
  return join(runDir, `${name}${SUFFIX}`);
}

export function writeChildRecord(runDir: string, name: string, record: ChildRecord): void {
  writeFileSync(recordFile(runDir, name), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/**
 * Removes the record if it still names `pid`: a child stopped as stale by the next start may report
 * its exit after that start's own child has written the record anew.
 */
export function removeChildRecord(runDir: string, name: string, pid: number): void {
  const path = recordFile(runDir, name);
  try {
    if (ChildRecord.parse(JSON.parse(readFileSync(path, 'utf8'))).pid !== pid) return;
  } catch {
    // missing or damaged: nothing of anyone else's to keep
  }
  rmSync(path, { force: true });
}

export interface StaleChild {
  name: string;
  pid: number;
  executable: string;
  /** False when it would not die, even to SIGKILL. */
  stopped: boolean;
}

/**
 * Stops every child recorded in `runDir` that still runs the program it was started as, and
 * removes the records. Call only while holding the data dir's lock: then no live team server owns
 * them. A pid now used by an unrelated program is left alone.
 */
export async function stopStaleChildren(runDir: string): Promise<StaleChild[]> {
  let files: string[];
  try {
    files = readdirSync(runDir).filter((f) => f.endsWith(SUFFIX));
  } catch {
    return [];
  }
  const stale: StaleChild[] = [];
  for (const file of files) {
    const path = join(runDir, file);
    let record: ChildRecord | undefined;
    try {
      record = ChildRecord.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch {
      // A damaged record names nothing we could safely signal.
    }
    if (record && runsExecutable(record.pid, record.executable)) {
      const stopped = await terminate(record.pid, 2_000);
      stale.push({ name: file.slice(0, -SUFFIX.length), pid: record.pid, executable: record.executable, stopped });
    }
    rmSync(path, { force: true });
  }
  return stale;
}
