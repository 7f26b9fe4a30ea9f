// The team servers this app trusts: the ones saved in settings and this computer's own (Host on
// this computer). Trust decides what the app's pages may reach (the CSP), which links open without
// asking, and where updates may come from, so a page cannot add a server by itself:
// - a server the person typed is confirmed in a dialog of main's, which no page can click;
// - a server from a parley:// link is offered to the page, which asks the person (showing the
//   origin) and answers with the offer; main saves what the link carried, never what a page says.
// settings:update may remove and rename servers, never add one or change its address or pin.
import { randomBytes } from 'node:crypto';
import type { MessageBoxOptions } from 'electron';
import type { AddServerRequest, LinkOffer, SettingsPatch, TeamServer } from '@contracts/desktop';
import { ParleyError } from './errors';
import type { Logger } from './log';
import type { ServerFactsStore } from './server-facts';
import type { SettingsStore } from './settings-store';

export interface OwnServer {
  /** Where this computer's team server answers (loopback, and its LAN addresses). */
  urls: string[];
  sfuUrl: string | null;
}

export interface TeamServersDeps {
  settings: SettingsStore;
  facts: ServerFactsStore;
  ownServer(): OwnServer;
  /** Asks the person, in a dialog of main's, whether to add a server they typed. */
  confirmTyped(origin: string): Promise<boolean>;
  log: Logger;
}

export interface TeamServers {
  /** Origins the app's pages may talk to. */
  origins(): string[];
  /** SFU URLs the trusted servers hand out. */
  sfuUrls(): string[];
  /** True when a URL is on a trusted server (links there open without asking). */
  isTeamUrl(url: string): boolean;
  /** For a deep link: null when the server (with that pin) is trusted already, else the offer to put to the person. */
  offerLink(serverUrl: string, pin?: string): LinkOffer | null;
  add(request: AddServerRequest): Promise<TeamServer>;
  /** Asks a trusted server what it hands out; SERVER_UNKNOWN for any other. */
  sync(url: string): Promise<void>;
  /** Asks every trusted server, in the background (at launch). */
  syncAll(): void;
  /** Refuses settings patches that would add a server or change one's address or pin. */
  checkPatch(patch: SettingsPatch): void;
  /** The update feed: the first saved server (in the person's order) whose operator set one. */
  updateFeed(): { url: string; server: string } | null;
}

const MAX_OFFERS = 8;
const OFFER_TTL_MS = 30 * 60_000;

export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

/** The question put to the person before a server they typed is added. */
export function newServerQuestion(origin: string): MessageBoxOptions {
  return {
    type: 'question',
    title: 'Add a team server',
    message: `Connect to ${origin}?`,
    detail: `${origin} is a server you have not used before. Parley will remember it and let it run your meetings in this app. Only continue if you trust it.`,
    buttons: ['Connect', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  };
}

export function createTeamServers(deps: TeamServersDeps): TeamServers {
  const log = deps.log.child({ module: 'team-servers' });
  const offers = new Map<string, { serverUrl: string; pin?: string; expires: number }>();
  let asking = false;

  const saved = (): TeamServer[] => deps.settings.get().teamServers;
  const savedByOrigin = (origin: string): TeamServer | undefined => saved().find((server) => originOf(server.url) === origin);
  const ownOrigins = (): string[] => deps.ownServer().urls.flatMap((url) => originOf(url) ?? []);
  const origins = (): string[] => [...new Set([...saved().flatMap((server) => originOf(server.url) ?? []), ...ownOrigins()])];
  const trusted = (origin: string | null): boolean => origin !== null && origins().includes(origin);

  async function save(server: Omit<TeamServer, 'id'>): Promise<TeamServer> {
    const origin = originOf(server.url);
    const servers = saved();
    const known = servers.find((entry) => originOf(entry.url) === origin);
    const entry: TeamServer = known
      ? { ...known, ...(server.pin ? { pin: server.pin } : {}) }
      : { id: randomBytes(6).toString('base64url'), ...server };
    const next = known ? servers.map((candidate) => (candidate === known ? entry : candidate)) : [...servers, entry];
    await deps.settings.update({ teamServers: next });
    log.info('team-servers.saved', { server: origin, pinned: Boolean(entry.pin) });
    // Learnt before the page loads again, so that load already allows the server's SFU.
    if (origin) await deps.facts.learn(origin);
    return entry;
  }

  const sweepOffers = (now: number): void => {
    for (const [id, offer] of offers) if (offer.expires < now) offers.delete(id);
  };

  return {
    origins,
    sfuUrls: () => {
      const fromSaved = saved().flatMap((server) => {
        const origin = originOf(server.url);
        return origin ? (deps.facts.get(origin)?.sfuUrl ?? []) : [];
      });
      const own = deps.ownServer().sfuUrl;
      return [...new Set([...fromSaved, ...(own ? [own] : [])])];
    },
    isTeamUrl: (url) => trusted(originOf(url)),
    offerLink(serverUrl, pin) {
      const origin = originOf(serverUrl);
      if (!origin) return null;
      const known = savedByOrigin(origin);
      const own = ownOrigins().includes(origin);
      if ((known || own) && (!pin || own || known?.pin === pin)) return null;
      const now = Date.now();
      sweepOffers(now);
      // A flood of links cannot grow this without bound: the oldest offer goes first.
      while (offers.size >= MAX_OFFERS) offers.delete(offers.keys().next().value as string);
      const offer = randomBytes(18).toString('base64url');
      offers.set(offer, { serverUrl: origin, ...(pin ? { pin } : {}), expires: now + OFFER_TTL_MS });
      return { offer, reason: known ? 'new-certificate' : 'new-server' };
    },
    async add(request) {
      if (request.from === 'link') {
        sweepOffers(Date.now());
        const offer = offers.get(request.offer);
        if (!offer) throw new ParleyError('SERVER_UNKNOWN', 'That link has expired. Open it again.');
        offers.delete(request.offer);
        return save({ name: new URL(offer.serverUrl).host, url: offer.serverUrl, ...(offer.pin ? { pin: offer.pin } : {}) });
      }
      const origin = originOf(request.url);
      if (!origin) throw new ParleyError('SERVER_UNKNOWN', 'That is not a server address.');
      const known = savedByOrigin(origin);
      if (known) return known;
      // This computer's own server needs no question: the person started it here.
      if (!ownOrigins().includes(origin)) {
        // One question at a time: a page calling in a loop gets one dialog, not a pile of them.
        if (asking) throw new ParleyError('SERVER_DECLINED', 'Another server is waiting for your answer.');
        asking = true;
        let yes: boolean;
        try {
          yes = await deps.confirmTyped(origin);
        } finally {
          asking = false;
        }
        if (!yes) {
          log.info('team-servers.declined', { server: origin });
          throw new ParleyError('SERVER_DECLINED', 'The server was not added.');
        }
      }
      return save({ name: request.name ?? new URL(origin).host, url: origin });
    },
    async sync(url) {
      const origin = originOf(url);
      if (!origin || !savedByOrigin(origin)) {
        if (origin && ownOrigins().includes(origin)) return;
        throw new ParleyError('SERVER_UNKNOWN', 'Parley has not saved that server.');
      }
      await deps.facts.learn(origin);
    },
    syncAll() {
      deps.facts.retain(new Set(saved().flatMap((server) => originOf(server.url) ?? [])));
      for (const server of saved()) {
        const origin = originOf(server.url);
        if (origin) void deps.facts.learn(origin);
      }
    },
    checkPatch(patch) {
      if (!patch.teamServers) return;
      const current = new Map(saved().map((server) => [server.id, server]));
      for (const server of patch.teamServers) {
        const known = current.get(server.id);
        if (!known || known.url !== server.url || known.pin !== server.pin) {
          throw new ParleyError('SETTINGS_INVALID', 'A team server can only be added after you confirm it (servers.add).');
        }
      }
    },
    updateFeed() {
      for (const server of saved()) {
        const origin = originOf(server.url);
        const feed = origin ? deps.facts.get(origin)?.updateFeed : null;
        if (origin && feed) return { url: feed, server: origin };
      }
      return null;
    },
  };
}
