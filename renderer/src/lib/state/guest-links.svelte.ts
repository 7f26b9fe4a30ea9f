// A room's guest links, for its hosts: the ones that still work (how often used, until when), a new
// one with its own expiry, use limit and note, and revoking one without touching the others.
import type { GuestLink, GuestLinkInfo } from '@contracts/api';
import type { ApiClient } from '../api/client';
import { ApiCallState } from './api-call-state.svelte';

export type GuestLinksApi = Pick<ApiClient, 'listGuestLinks' | 'createGuestLink' | 'revokeGuestLink'>;

/** The expiry choices offered, in minutes (the server allows 5 minutes to a week). */
export const LINK_LIFETIMES = [
  { minutes: 60, label: '1 hour' },
  { minutes: 480, label: '8 hours' },
  { minutes: 1440, label: '1 day' },
  { minutes: 10_080, label: '1 week' },
] as const;

export class GuestLinksState extends ApiCallState {
  links = $state.raw<GuestLinkInfo[]>([]);
  /** The link just made: the only moment its URL is known (the server stores a hash). */
  created = $state.raw<GuestLink | null>(null);

  readonly #api: GuestLinksApi;
  readonly #room: string;

  constructor(api: GuestLinksApi, room: string, serverUrl: string) {
    super(serverUrl);
    this.#api = api;
    this.#room = room;
  }

  async load(): Promise<void> {
    const list = await this.run(() => this.#api.listGuestLinks(this.#room));
    if (list) this.links = list.links;
  }

  async create(opts: { label: string; expiresInMinutes: number; maxUses: number }): Promise<GuestLink | null> {
    const link = await this.run(() =>
      this.#api.createGuestLink(this.#room, {
        expiresInMinutes: opts.expiresInMinutes,
        maxUses: opts.maxUses,
        ...(opts.label.trim() ? { label: opts.label.trim() } : {}),
      }),
    );
    if (link) {
      this.created = link;
      this.links = [link, ...this.links];
    }
    return link;
  }

  async revoke(id: string): Promise<void> {
    const done = await this.run(async () => {
      await this.#api.revokeGuestLink(this.#room, id);
      return true;
    });
    if (done) {
      this.links = this.links.filter((l) => l.id !== id);
      if (this.created?.id === id) this.created = null;
    }
  }
}
