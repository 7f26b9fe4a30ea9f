// The meeting half of the app (livekit-client, media, pre-join and meeting UI) is its own chunk,
// loaded with import() on the way to pre-join, alongside sign-in, or as an idle prefetch: the first
// screen (connect, sign in, home) never downloads or compiles it.
export type CallModule = typeof import('./call');

let chunk: Promise<CallModule> | null = null;

/** Loads the meeting chunk once; a failed load (offline) is retried on the next call. */
export function loadCall(): Promise<CallModule> {
  chunk ??= import('./call').catch((err: unknown) => {
    chunk = null;
    throw err;
  });
  return chunk;
}
