// Where the app is (connect -> sign in -> home -> pre-join -> meeting -> ended) and the session.
// The meeting half (livekit-client, media, pre-join and meeting UI) is a separate chunk loaded with
// import() by loadCall(); only types come from it statically, so the first screen stays light.
import { getContext, setContext } from 'svelte';
import type { Room } from 'livekit-client';
import { apiClient, deviceTag, EventBus, hostPort, type ApiClient, type ServerInfo, type User } from '../api';
import type { CallModule } from '../call';
import { desktop, notify, reportCallState } from '../desktop';
import { servedByTeamServer, takeEarlyServerInfo } from '../early';
import type { ConnectedRoom, JoinCredentials } from '../livekit/meeting-source';
import type { E2eeSetup } from '../media';
import { apiProblem, connectProblem, endProblem, type Problem } from '../problems';
import { KEYS, load, remove, save, SessionSchema } from '../storage';
import type { MeetingInfo, MeetingState } from './meeting.svelte';
import type { PreJoinState } from './prejoin.svelte';

let callChunk: Promise<CallModule> | null = null;

/** Loads the meeting chunk once; a failed load (offline) is retried on the next call. */
export function loadCall(): Promise<CallModule> {
  callChunk ??= import('../call').catch((err: unknown) => {
    callChunk = null;
    throw err;
  });
  return callChunk;
}

export type JoinTarget = { kind: 'member'; room: string; title: string } | { kind: 'guest'; code: string };

export type Screen =
  | { name: 'loading' }
  | { name: 'connect' }
  | { name: 'setup' }
  | { name: 'signin' }
  | { name: 'home' }
  | { name: 'prejoin'; target: JoinTarget }
  | { name: 'waiting'; target: JoinTarget; roomTitle: string }
  | { name: 'meeting'; target: JoinTarget; meeting: MeetingState }
  | { name: 'ended'; target: JoinTarget; problem: Problem | null };

export function parseHash(hash: string): { guestCode: string } | { room: string } | null {
  const guest = /^#\/guest\/([A-Za-z0-9._~-]{6,512})$/.exec(hash);
  if (guest?.[1]) return { guestCode: guest[1] };
  const room = /^#\/room\/([a-z0-9-]{1,48})$/.exec(hash);
  if (room?.[1]) return { room: room[1] };
  return null;
}

interface E2eeCreds {
  e2ee: 'off' | 'room-key' | 'passphrase';
  e2eeKey?: string | undefined;
}

class JoinConnectError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** In the desktop app, a team server saved in settings (e.g. the one `npm start` launched) needs no typing. */
async function firstSavedServer(): Promise<string | null> {
  if (!desktop) return null;
  try {
    return (await desktop.settings.get()).teamServers[0]?.url ?? null;
  } catch {
    return null;
  }
}

export class AppState {
  screen = $state.raw<Screen>({ name: 'loading' });
  serverUrl = $state<string | null>(null);
  server = $state.raw<ServerInfo | null>(null);
  user = $state.raw<User | null>(null);
  /** A problem shown on the current screen (sign-in failed, server unreachable, join refused). */
  problem = $state.raw<Problem | null>(null);
  busy = $state(false);
  prejoin = $state.raw<PreJoinState | null>(null);
  /** Set when the room is encrypted with a passphrase and pre-join must ask for it. */
  needsPassphrase = $state(false);
  /** The meeting chunk, once loaded: App.svelte renders its PreJoin and Meeting components. */
  call = $state.raw<CallModule | null>(null);
  /** The settings dialog, over whatever screen is showing (a call keeps running under it). */
  settingsOpen = $state(false);

  api: ApiClient | null = null;
  bus: EventBus | null = null;
  #room: Room | null = null;
  #meetingCleanup: (() => void) | null = null;
  #waitAbort: AbortController | null = null;
  /** Where to go after sign-in when a link or deep link asked for a room. */
  #pendingRoom: string | null = null;
  /** Bumped on every navigation so a slow chunk load cannot override a later choice. */
  #nav = 0;

  async init(): Promise<void> {
    const route = typeof location !== 'undefined' ? parseHash(location.hash) : null;
    const stored = load(KEYS.session, SessionSchema, { serverUrl: '', token: null });
    const url = servedByTeamServer() ? location.origin : stored.serverUrl || (await firstSavedServer());
    if (route && 'room' in route) this.#pendingRoom = route.room;
    if (!url) {
      this.screen = { name: 'connect' };
      return;
    }
    const sameServer = stored.serverUrl === url;
    await this.connect(url, sameServer ? stored.token : null, route && 'guestCode' in route ? route.guestCode : null);
  }

  /** Talks to a team server: setup if new, the guest flow for a guest link, else sign-in or home. */
  async connect(url: string, token: string | null = null, guestCode: string | null = null): Promise<void> {
    const serverUrl = url.replace(/\/+$/, '');
    this.busy = true;
    this.problem = null;
    try {
      const api = apiClient(serverUrl, token);
      // The first connect reuses the request early.ts started before the app mounted.
      const info = await (takeEarlyServerInfo(serverUrl) ?? api.server());
      this.api = api;
      this.server = info;
      this.serverUrl = serverUrl;
      if (guestCode) {
        await this.#toPrejoin({ kind: 'guest', code: guestCode });
      } else if (!info.setupDone) {
        this.screen = { name: 'setup' };
      } else if (token) {
        try {
          this.user = await api.me();
          this.#signedIn(token);
        } catch {
          api.setToken(undefined);
          this.screen = { name: 'signin' };
        }
      } else {
        save(KEYS.session, { serverUrl, token: null });
        this.screen = { name: 'signin' };
      }
    } catch (err) {
      this.problem = apiProblem(err, serverUrl);
      this.screen = { name: 'connect' };
    } finally {
      this.busy = false;
    }
  }

  async #authenticate(run: (api: ApiClient) => Promise<{ token: string; user: User }>): Promise<void> {
    if (!this.api) return;
    this.busy = true;
    this.problem = null;
    try {
      const session = await run(this.api);
      this.user = session.user;
      this.#signedIn(session.token);
    } catch (err) {
      this.problem = apiProblem(err, this.serverUrl ?? undefined);
    } finally {
      this.busy = false;
    }
  }

  signIn(username: string, password: string): Promise<void> {
    // Home is next and a meeting soon after: load the meeting chunk alongside the login round trip.
    void loadCall().catch(() => undefined);
    return this.#authenticate((api) => api.login({ username, password }));
  }

  /** A new member with an invite code from an admin. */
  register(inviteCode: string, username: string, password: string, displayName: string): Promise<void> {
    return this.#authenticate((api) => api.register({ inviteCode, username, password, displayName }));
  }

  setup(code: string, username: string, password: string, displayName: string): Promise<void> {
    return this.#authenticate((api) => api.setup({ code, username, password, displayName }));
  }

  #signedIn(token: string): void {
    if (!this.api || !this.serverUrl) return;
    save(KEYS.session, { serverUrl: this.serverUrl, token });
    this.bus?.stop();
    this.bus = new EventBus(this.api);
    this.bus.start(() => void this.signOut());
    const room = this.#pendingRoom;
    this.#pendingRoom = null;
    if (room) void this.#toPrejoin({ kind: 'member', room, title: room });
    else this.#go({ name: 'home' });
  }

  async signOut(): Promise<void> {
    this.bus?.stop();
    this.bus = null;
    await this.api?.logout().catch(() => undefined);
    this.user = null;
    if (this.serverUrl) save(KEYS.session, { serverUrl: this.serverUrl, token: null });
    this.#go({ name: 'signin' });
  }

  /** Desktop only: pick another team server. */
  changeServer(): void {
    this.bus?.stop();
    remove(KEYS.session);
    this.user = null;
    this.#go({ name: 'connect' });
  }

  openRoom(room: string, title: string): void {
    void this.#toPrejoin({ kind: 'member', room, title });
  }

  /** From a desktop deep link or notification. */
  openRoomRef(serverUrl: string, room: string): void {
    if (this.screen.name === 'meeting') return; // Never yank someone out of a call.
    if (serverUrl.replace(/\/+$/, '') !== this.serverUrl) {
      this.#pendingRoom = room;
      void this.connect(serverUrl);
      return;
    }
    if (!this.user) {
      this.#pendingRoom = room;
      return;
    }
    void this.#toPrejoin({ kind: 'member', room, title: room });
  }

  #go(screen: Screen): void {
    this.#nav++;
    this.screen = screen;
  }

  async #loadCall(): Promise<CallModule> {
    const call = this.call ?? (await loadCall());
    this.call = call;
    return call;
  }

  async #toPrejoin(target: JoinTarget): Promise<void> {
    this.problem = null;
    const nav = ++this.#nav;
    let call: CallModule;
    try {
      call = await this.#loadCall();
    } catch (err) {
      if (nav === this.#nav)
        this.problem = {
          kind: 'server-unreachable',
          title: "Can't load the meeting",
          message: `Check your network, then try again. (${err instanceof Error ? err.message : String(err)})`,
        };
      return;
    }
    if (nav !== this.#nav) return; // Someone went elsewhere while it loaded.
    if (!this.prejoin) this.prejoin = new call.PreJoinState(this.user?.displayName ?? '');
    this.screen = { name: 'prejoin', target };
  }

  goHome(): void {
    this.#cancelWait();
    this.prejoin?.stop();
    this.prejoin = null;
    this.problem = null;
    this.#go(this.user ? { name: 'home' } : { name: 'signin' });
  }

  async join(target: JoinTarget): Promise<void> {
    const prejoin = this.prejoin;
    if (!this.api || !prejoin || this.busy) return;
    this.busy = true;
    this.problem = null;
    const name = prejoin.choices.displayName.trim();
    try {
      if (target.kind === 'member') {
        const res = await this.api.joinRoom(target.room, { device: deviceTag() });
        await this.#enterMeeting(
          target,
          res,
          { room: target.room, title: target.title, serverUrl: this.serverUrl ?? '' },
          res.role === 'host',
        );
      } else {
        const res = await this.api.guestJoin(target.code, name);
        if (res.status === 'admitted') {
          await this.#enterMeeting(target, res, { room: res.room, title: res.roomTitle, serverUrl: this.serverUrl ?? '' }, false);
        } else {
          this.screen = { name: 'waiting', target, roomTitle: res.roomTitle };
          this.busy = false;
          await this.#waitForAdmission(target, res.ticket);
        }
      }
    } catch (err) {
      this.problem = err instanceof JoinConnectError ? err.problem : apiProblem(err, this.serverUrl ?? undefined);
      if (this.screen.name !== 'prejoin') this.screen = { name: 'prejoin', target };
    } finally {
      this.busy = false;
    }
  }

  async #waitForAdmission(target: JoinTarget, ticket: string): Promise<void> {
    const abort = new AbortController();
    this.#waitAbort = abort;
    while (!abort.signal.aborted && this.api) {
      let status;
      try {
        status = await this.api.guestTicket(ticket, 25, abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return;
        throw err;
      }
      if (status.status === 'admitted') {
        this.#waitAbort = null;
        await this.#enterMeeting(target, status, { room: status.room, title: status.roomTitle, serverUrl: this.serverUrl ?? '' }, false);
        return;
      }
      if (status.status === 'denied') {
        this.#waitAbort = null;
        this.prejoin?.stop();
        this.prejoin = null;
        this.screen = {
          name: 'ended',
          target,
          problem: {
            kind: 'lobby-denied',
            title: "The host didn't let you in",
            message: 'Ask the host to admit you, then open the link again.',
          },
        };
        return;
      }
    }
  }

  #cancelWait(): void {
    this.#waitAbort?.abort();
    this.#waitAbort = null;
  }

  cancelWaiting(): void {
    this.#cancelWait();
    const s = this.screen;
    if (s.name === 'waiting') this.screen = { name: 'prejoin', target: s.target };
  }

  /** E2EE per the room's mode: the server's key, or the passphrase typed in pre-join. */
  async #e2eeFor(creds: E2eeCreds): Promise<E2eeSetup | null> {
    if (creds.e2ee === 'off') return null;
    const secret = creds.e2ee === 'room-key' ? (creds.e2eeKey ?? '') : (this.prejoin?.passphrase ?? '');
    if (creds.e2ee === 'passphrase' && !secret) {
      this.needsPassphrase = true;
      throw new JoinConnectError({
        kind: 'unknown',
        title: 'This meeting is end-to-end encrypted',
        message: 'Enter the passphrase you got from the host, then join again.',
      });
    }
    try {
      return await (await this.#loadCall()).createE2eeSetup(creds.e2ee, secret);
    } catch (err) {
      throw new JoinConnectError({
        kind: 'unknown',
        title: "Can't encrypt this call",
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  async #enterMeeting(target: JoinTarget, creds: JoinCredentials & E2eeCreds, info: MeetingInfo, isHost: boolean): Promise<void> {
    const prejoin = this.prejoin;
    if (!prejoin) return;
    const { connectRoom, roomSource, MeetingState, exposeTestHooks } = await this.#loadCall();
    const e2ee = await this.#e2eeFor(creds);
    // A quick click on Join must not leave a half-started camera running outside the call.
    await prejoin.settled();
    const tracks = prejoin.takeTracks();
    let connected: ConnectedRoom;
    try {
      connected = await connectRoom(creds, {
        tracks,
        audioOutputId: prejoin.choices.audioOutputId,
        e2ee,
      });
    } catch (err) {
      prejoin.reclaimTracks();
      throw new JoinConnectError(connectProblem(err));
    }
    prejoin.stop();
    this.prejoin = null;
    this.needsPassphrase = false;
    const room = connected.room;
    this.#room = room;
    const host = isHost && this.api ? hostPort(this.api, info.room, this.bus) : null;
    const ref = { serverUrl: info.serverUrl, room: info.room, title: info.title };
    const meeting = new MeetingState(roomSource(connected), info, host, {
      chatReceived: (m) =>
        notify(
          { kind: 'chat-message', room: ref, from: m.fromName.slice(0, 100) || 'Someone', text: m.text.slice(0, 4000) },
          m.fromName,
          m.text,
        ),
      handRaised: (p) =>
        notify(
          { kind: 'hand-raised', room: ref, participantName: p.name.slice(0, 100) || 'Someone' },
          `${p.name} raised a hand`,
          info.title,
        ),
      lobbyGuest: (e) =>
        notify(
          { kind: 'lobby-guest', room: ref, guestName: e.displayName.slice(0, 100) || 'A guest' },
          `${e.displayName} is waiting`,
          `In the lobby of ${info.title}`,
        ),
    });
    const stop = meeting.start();
    const stopHooks = exposeTestHooks(room);
    const stopReport = $effect.root(() => {
      $effect(() => {
        const local = meeting.local;
        reportCallState({
          inCall: meeting.connection.phase !== 'disconnected',
          room: desktop ? ref : null,
          microphoneEnabled: local?.micEnabled ?? false,
          cameraEnabled: local?.cameraEnabled ?? false,
          sharingScreen: meeting.sharing,
          isHost: meeting.isHost,
        });
      });
      $effect(() => {
        const c = meeting.connection;
        if (c.phase === 'disconnected' && c.endReason) this.#meetingEnded(target, endProblem(c.endReason));
      });
    });
    this.#meetingCleanup = () => {
      stopReport();
      stopHooks();
      stop();
    };
    this.screen = { name: 'meeting', target, meeting };
  }

  #meetingEnded(target: JoinTarget, problem: Problem | null): void {
    this.#meetingCleanup?.();
    this.#meetingCleanup = null;
    this.#room = null;
    reportCallState({ inCall: false, room: null, microphoneEnabled: false, cameraEnabled: false, sharingScreen: false, isHost: false });
    if (!problem && target.kind === 'member') this.screen = { name: 'home' };
    else this.screen = { name: 'ended', target, problem };
  }

  async leave(): Promise<void> {
    await this.#room?.disconnect();
  }

  /**
   * Desktop power/network recovery (system.onPower with recoverCall): a call that the connection loss
   * ended is joined again, with camera and microphone OFF whatever they were, because nobody is
   * there to see it happen. A call that is still up (or reconnecting) is LiveKit's to resume, and it
   * keeps every device as the person left it.
   */
  async recoverCall(): Promise<void> {
    const s = this.screen;
    if (s.name !== 'ended' || s.problem?.kind !== 'connection-lost' || s.target.kind !== 'member' || !this.user) return;
    const call = await this.#loadCall();
    this.prejoin?.stop();
    const prejoin = new call.PreJoinState(this.user.displayName);
    prejoin.choices.micEnabled = false;
    prejoin.choices.cameraEnabled = false;
    this.prejoin = prejoin;
    await this.join(s.target);
  }

  rejoin(target: JoinTarget): void {
    void this.#toPrejoin(target);
  }
}

const KEY = Symbol('parley.app');
export const setAppContext = (state: AppState): AppState => setContext(KEY, state);
export function getAppContext(): AppState {
  const state = getContext<AppState | undefined>(KEY);
  if (!state) throw new Error('getAppContext() outside <App>');
  return state;
}
