// Admins' list of invite codes: who made each, whether it was used, and revoking one nobody used.
// The codes themselves are shown only once, when made; the server keeps only their hashes.
import type { InviteInfo } from '@contracts/api';
import type { ApiClient } from '../api/client';
import { apiProblem, type Problem } from '../problems';

export type InvitesApi = Pick<ApiClient, 'listInvites' | 'revokeInvite'>;

export class InvitesState {
  invites = $state.raw<InviteInfo[]>([]);
  problem = $state.raw<Problem | null>(null);
  busy = $state(false);

  readonly #api: InvitesApi;
  readonly #serverUrl: string;

  constructor(api: InvitesApi, serverUrl: string) {
    this.#api = api;
    this.#serverUrl = serverUrl;
  }

  async load(): Promise<void> {
    try {
      this.invites = (await this.#api.listInvites()).invites;
      this.problem = null;
    } catch (err) {
      this.problem = apiProblem(err, this.#serverUrl);
    }
  }

  async revoke(id: string): Promise<void> {
    this.busy = true;
    try {
      await this.#api.revokeInvite(id);
      this.invites = this.invites.map((i) => (i.id === id ? { ...i, status: 'revoked' } : i));
      this.problem = null;
    } catch (err) {
      this.problem = apiProblem(err, this.#serverUrl);
    } finally {
      this.busy = false;
    }
  }
}
