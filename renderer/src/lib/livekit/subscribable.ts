// The one shape every LiveKit-derived value takes in Parley: a Svelte-store-compatible
// subscribe() that calls back with the *current* value immediately, then on every change, and
// returns an unsubscribe that removes every listener it added. Components never touch Room events.
import type { Observable } from 'rxjs';

export type Unsubscribe = () => void;

export interface Subscribable<T> {
  subscribe(run: (value: T) => void): Unsubscribe;
}

interface Emitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Re-reads `read()` whenever any of `events` fires on `emitter`. Bursts of events (a participant
 * joining fires half a dozen) are coalesced into one emission per microtask, so a 49-person room
 * does not rebuild its snapshot per event.
 */
export function fromEvents<T>(emitter: Emitter, events: readonly string[], read: () => T): Subscribable<T> {
  return {
    subscribe(run) {
      let scheduled = false;
      let closed = false;
      const fire = (): void => {
        if (scheduled || closed) return;
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          if (!closed) run(read());
        });
      };
      for (const e of events) emitter.on(e, fire);
      run(read());
      return () => {
        closed = true;
        for (const e of events) emitter.off(e, fire);
      };
    },
  };
}

/** Adapts an rxjs Observable from @livekit/components-core (they already start with the current value). */
export function fromObservable<T>(observable: Observable<T>): Subscribable<T> {
  return {
    subscribe(run) {
      const sub = observable.subscribe({ next: run });
      return () => sub.unsubscribe();
    },
  };
}

/** A settable value, for tests and for state that does not come from LiveKit. */
export function writable<T>(initial: T): Subscribable<T> & { set(value: T): void; get(): T } {
  let value = initial;
  const runs = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      value = next;
      for (const r of runs) r(value);
    },
    subscribe(run) {
      runs.add(run);
      run(value);
      return () => runs.delete(run);
    },
  };
}

/** Collects unsubscribes so a state class can undo everything it started with one call. */
export class Disposer {
  #fns: Unsubscribe[] = [];
  add(fn: Unsubscribe | undefined | void): void {
    if (fn) this.#fns.push(fn);
  }
  dispose(): void {
    const fns = this.#fns.splice(0).reverse();
    for (const fn of fns) {
      try {
        fn();
      } catch {
        // Cleanup must run to the end even if one listener's teardown throws.
      }
    }
  }
}
