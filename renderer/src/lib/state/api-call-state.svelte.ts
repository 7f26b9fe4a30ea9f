import { apiProblem, type Problem } from '../problems';

/**
 * What every screen that calls the team server shows while it does: busy during a call, and the
 * problem of the last call that failed, in words for that server.
 */
export class ApiCallState {
  problem = $state.raw<Problem | null>(null);
  busy = $state(false);

  readonly #serverUrl: string;

  constructor(serverUrl: string) {
    this.#serverUrl = serverUrl;
  }

  /** Runs one call: busy while it runs, its failure as `problem`, null instead of throwing. */
  protected async run<T>(work: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.problem = null;
    try {
      return await work();
    } catch (err) {
      this.problem = apiProblem(err, this.#serverUrl);
      return null;
    } finally {
      this.busy = false;
    }
  }
}
