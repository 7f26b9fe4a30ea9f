// The one shape every LiveKit-derived value takes in Parley: a Svelte-store-compatible
// subscribe() that calls back with the *current* value immediately, then on every change, and
// returns an unsubscribe that removes every listener it added. Components never touch Room events.
import type { Observable } from 'rxjs';

export type Unsubscribe = () => void;

export interface Subscribable<T> {
  subscribe(run: (value: T) => void): Unsubscribe;
}

/** Adapts an rxjs Observable (components-core's, which start with the current value, or one that does). */
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
