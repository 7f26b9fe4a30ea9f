// What each saved team server hands out, learned by main itself from the server's GET /api/v1/server:
// the SFU its clients connect to (the CSP lets pages reach it) and the update feed its operator set.
// Main does the asking, so a page can only say "ask that saved server again", never what the
// answer was. Kept in userData/server-facts.json so the next launch's first page already allows them.
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from './log';

export interface ServerFacts {
  /** The SFU URL the server gives its clients (ws, wss, http or https, as livekit-client takes them). */
  sfuUrl: string | null;
  /** An https directory with electron-builder's update files, when the operator set one. */
  updateFeed: string | null;
}

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; redirect: 'error'; headers: Record<string, string> },
) => Promise<Response>;

export interface ServerFactsDeps {
  file: string;
  /** Electron's net.fetch: the session's certificate pins apply, and no page is involved. */
  fetch: FetchLike;
  /** Whether the server is still saved when its answer arrives (it may have been removed meanwhile). */
  keep(origin: string): boolean;
  /** Something learnt differs from before (the CSP and the update feed follow). */
  onChange?(): void;
  log: Logger;
  timeoutMs?: number;
}

export interface ServerFactsStore {
  get(origin: string): ServerFacts | null;
  /** Asks the server; resolves to what is known afterwards (the old facts when it could not be asked). */
  learn(origin: string): Promise<ServerFacts | null>;
  /** Forgets servers that are no longer saved. */
  retain(origins: ReadonlySet<string>): void;
}

const MAX_BODY = 64 * 1024;
const SfuUrl = z.url({ protocol: /^(wss?|https?)$/ }).max(2048);
const FeedUrl = z.url({ protocol: /^https$/ }).max(2048);
// Only the two fields matter here; the rest of the answer is the renderer's business.
const ServerInfoFacts = z.object({ livekitUrl: z.unknown(), updateFeed: z.unknown().optional() });
const FileSchema = z.object({
  version: z.literal(1),
  servers: z.record(z.string(), z.object({ sfuUrl: z.string().nullable(), updateFeed: z.string().nullable() })),
});

function readFacts(file: string, log: Logger): Map<string, ServerFacts> {
  try {
    const parsed = FileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    return new Map(Object.entries(parsed.servers));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('server-facts.unreadable', { error });
    return new Map();
  }
}

/** The facts in an answer, each dropped on its own when it is not a URL of the expected kind. */
export function factsFromServerInfo(body: unknown): ServerFacts | null {
  const info = ServerInfoFacts.safeParse(body);
  if (!info.success) return null;
  const sfu = SfuUrl.safeParse(info.data.livekitUrl);
  const feed = FeedUrl.safeParse(info.data.updateFeed);
  return { sfuUrl: sfu.success ? sfu.data : null, updateFeed: feed.success ? feed.data : null };
}

export function createServerFacts(deps: ServerFactsDeps): ServerFactsStore {
  const log = deps.log.child({ module: 'server-facts' });
  const facts = readFacts(deps.file, log);
  const inFlight = new Map<string, Promise<ServerFacts | null>>();
  let writes: Promise<void> = Promise.resolve();

  const persist = (): void => {
    const value = { version: 1, servers: Object.fromEntries(facts) };
    const temporary = `${deps.file}.${process.pid}.tmp`;
    writes = writes
      .then(async () => {
        await mkdir(dirname(deps.file), { recursive: true });
        await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
        await rename(temporary, deps.file);
      })
      .catch((error: unknown) => log.error('server-facts.write_failed', { error }));
  };

  async function ask(origin: string): Promise<ServerFacts | null> {
    try {
      const response = await deps.fetch(`${origin}/api/v1/server`, {
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        redirect: 'error',
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      if (text.length > MAX_BODY) throw new Error('answer too large');
      const learned = factsFromServerInfo(JSON.parse(text));
      if (!learned) throw new Error('not a Parley team server answer');
      if (!deps.keep(origin)) return null;
      const known = facts.get(origin);
      if (known?.sfuUrl !== learned.sfuUrl || known?.updateFeed !== learned.updateFeed) {
        facts.set(origin, learned);
        persist();
        deps.onChange?.();
        log.info('server-facts.learned', { server: origin, sfu: learned.sfuUrl, updateFeed: learned.updateFeed });
      }
      return learned;
    } catch (error) {
      log.warn('server-facts.unreachable', { server: origin, error });
      return facts.get(origin) ?? null;
    }
  }

  return {
    get: (origin) => facts.get(origin) ?? null,
    learn(origin) {
      let pending = inFlight.get(origin);
      if (!pending) {
        pending = ask(origin).finally(() => inFlight.delete(origin));
        inFlight.set(origin, pending);
      }
      return pending;
    },
    retain(origins) {
      let changed = false;
      for (const origin of [...facts.keys()]) {
        if (!origins.has(origin)) changed = facts.delete(origin) || changed;
      }
      if (changed) persist();
    },
  };
}
