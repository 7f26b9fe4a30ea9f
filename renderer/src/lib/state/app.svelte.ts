// The app's screens and the moves between them. The parts each move needs live in their own
// modules: the session (session.svelte.ts), asking to join and the lobby (join.ts), encryption on
// the way in (join-e2ee.ts), the meeting chunk (call-chunk.ts) and what a call reports outward
// (call-report.svelte.ts). Only types come from the meeting chunk statically, so the first screen
// stays light.
import { createContext } from 'svelte';
import type { ServerInfo, User } from '@contracts/api';
import { bridgeErrorCode, type LinkOffer } from '@contracts/desktop';
import type { ApiClient } from '../api/client';
import type { ServerEventStream } from '../api/event-stream';
import { hostPort } from '../api/host-port';
import { loadCall, type CallModule } from '../call-chunk';
import type { ConnectedRoom } from '../livekit/connect-room';
import type { LocalMedia } from '../livekit/local-media';
import { apiProblem, connectProblem, endProblem, publishProblem, REJOINING, type Problem } from '../problems';
import { desktop, notify } from '../desktop';
import { SLEEP_PROBLEM } from '../desktop/sleep';
import { forwardTeamNotifications } from '../desktop/team-notifications';
import { meetingNotifications, reportCall } from './call-report.svelte';
import { askToRejoin, LOBBY_DENIED, waitForAdmission, type Admitted } from './join';
import { e2eeForJoin, JoinRefused } from './join-e2ee';
import type { MeetingState } from './meeting.svelte';
import type { PreJoinState } from './prejoin.svelte';
import { parseHash, type JoinTarget, type Screen } from './screens';
import { pendingRoom, sessions } from '../storage';
import { Session } from './session.svelte';

interface CallInProgress {
  url: string;
  localMedia: () => LocalMedia;
  passphrase: string;
}

/** A parley:// link to a server not used before: shown to the person before anything talks to it. */
export interface LinkQuestion extends LinkOffer {
  serverUrl: string;
  room: string | null;
}

/** Main refused or failed to add a server: its words, without the code. */
function serverProblem(err: unknown, serverUrl: string): Problem {
  if (bridgeErrorCode(err) === null) return apiProblem(err, serverUrl);
  const message = (err instanceof Error ? err.message : String(err)).replace(/^.*?\[[A-Z_]+\]\s*/, '');
  return { kind: 'unknown', title: `Could not add ${serverUrl}`, message };
}

const RELOAD_GUARD_KEY = 'parley.reloaded-at';
const RELOAD_GUARD_MS = 10_000;
/** Waits between the tries of joining a dropped call again (the first at once): about a minute in all. */
const REJOIN_BACKOFF_MS = [0, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

export class AppState {
  screen = $state.raw<Screen>({ name: 'loading' });
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
  /** Desktop: a link to a new server, waiting for the person's answer. */
  linkQuestion = $state.raw<LinkQuestion | null>(null);
  /** Someone about to enter a meeting that is being recorded, asked whether to enter. */
  recordingQuestion = $state.raw<{ roomTitle: string; answer: (yes: boolean) => void } | null>(null);

  readonly session = new Session();
  #room: ConnectedRoom['room'] | null = null;
  #meetingCleanup: ((rejoinPending?: boolean) => void) | null = null;
  /** The call in progress, as a rejoin after a drop needs it: where it was, the media, the passphrase. */
  #call: CallInProgress | null = null;
  /** The SFU URL of a call that just dropped, while it is being joined again. */
  #droppedUrl: string | null = null;
  /** Set while leaving a call because the computer is going to sleep. */
  #pausedForSleep = false;
  #waitAbort: AbortController | null = null;
  /** Where to go after sign-in when a link or deep link asked for a room. */
  #pendingRoom: string | null = null;
  /** Bumped on every navigation so a slow chunk load cannot override a later choice. */
  #nav = 0;

  get serverUrl(): string | null {
    return this.session.serverUrl;
  }
  get server(): ServerInfo | null {
    return this.session.server;
  }
  get user(): User | null {
    return this.session.user;
  }
  get api(): ApiClient | null {
    return this.session.api;
  }
  get events(): ServerEventStream | null {
    return this.session.events;
  }

  async init(): Promise<void> {
    const route = typeof location !== 'undefined' ? parseHash(location.hash) : null;
    if (route && 'room' in route) this.#pendingRoom = route.room;
    const { url, token } = await this.session.initial();
    if (!url) {
      this.screen = { name: 'connect' };
      return;
    }
    // A room a link asked for before the page loaded again for a new server.
    this.#pendingRoom = pendingRoom.take(url) ?? this.#pendingRoom;
    await this.connect(url, token, route && 'guestCode' in route ? route.guestCode : null);
  }

  /**
   * Talks to a team server: setup if new, the guest flow for a guest link, else sign-in or home.
   * Its own remembered session is used unless a token is given. In the desktop app main asks the
   * server too (what SFU it hands out), and when the page's CSP predates that the page loads again
   * first, before anything is shown.
   */
  async connect(url: string, token: string | null = sessions.token(url), guestCode: string | null = null): Promise<void> {
    this.busy = true;
    this.problem = null;
    try {
      const [opened, synced] = await Promise.allSettled([this.session.open(url, token), desktop?.servers.sync(url)]);
      if (synced.status === 'fulfilled' && synced.value?.reload && this.#reloadFor(url)) return;
      if (opened.status === 'rejected') throw opened.reason;
      const info = opened.value;
      if (guestCode) {
        await this.#toPrejoin({ kind: 'guest', code: guestCode });
      } else if (!info.setupDone) {
        this.screen = { name: 'setup' };
      } else if (token && (await this.session.resume())) {
        this.#signedIn(token);
      } else {
        if (!token) this.session.rememberServer();
        this.screen = { name: 'signin' };
      }
    } catch (err) {
      this.problem = apiProblem(err, url.replace(/\/+$/, ''));
      this.screen = { name: 'connect' };
    } finally {
      this.busy = false;
    }
  }

  async #authenticate(run: (api: ApiClient) => Promise<{ token: string; user: User }>): Promise<void> {
    if (!this.session.api) return;
    this.busy = true;
    this.problem = null;
    try {
      this.#signedIn(await this.session.authenticate(run));
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
    this.session.signedIn(token, () => void this.signOut());
    const events = this.events;
    const serverUrl = this.serverUrl;
    // Desktop: a team meeting starting (or someone joining your room) is worth a notification, also
    // with no call running and the window hidden in the tray.
    if (desktop && events && serverUrl) {
      forwardTeamNotifications(
        (listener) => events.listen(listener),
        {
          serverUrl,
          currentRoom: () => {
            const s = this.screen;
            return (s.name === 'prejoin' || s.name === 'meeting') && s.target.kind === 'member' ? s.target.room : null;
          },
          userId: () => this.user?.id ?? null,
        },
        (request) => notify(request, '', ''),
      );
    }
    const room = this.#pendingRoom;
    this.#pendingRoom = null;
    if (room) void this.#toPrejoin({ kind: 'member', room, title: room });
    else this.#go({ name: 'home' });
  }

  async signOut(): Promise<void> {
    await this.session.signOut();
    this.#go({ name: 'signin' });
  }

  /** Desktop only: pick another team server. Every server's session stays for when the person comes back. */
  changeServer(): void {
    this.session.forget();
    this.#go({ name: 'connect' });
  }

  /**
   * A server the person typed (Connect screen). The desktop app saves it first, after main asks the
   * person in its own dialog; a page cannot add a server by itself (main/team-servers.ts).
   */
  async addServer(url: string): Promise<void> {
    if (!desktop) return this.connect(url);
    this.busy = true;
    this.problem = null;
    try {
      const { server, reload } = await desktop.servers.add({ from: 'typed', url });
      if (reload && this.#reloadFor(server.url)) return;
      this.busy = false;
      await this.connect(server.url);
    } catch (err) {
      // "Cancel" in main's dialog is an answer, not a problem.
      if (bridgeErrorCode(err) !== 'SERVER_DECLINED') this.problem = serverProblem(err, url);
      this.busy = false;
    }
  }

  /** Desktop: a parley:// link to a new server. Nothing talks to it until the person says so. */
  askAboutLink(question: LinkQuestion): void {
    if (this.screen.name === 'meeting') return; // Never yank someone out of a call.
    this.linkQuestion = question;
  }

  async answerLink(go: boolean): Promise<void> {
    const question = this.linkQuestion;
    this.linkQuestion = null;
    if (!go || !question || !desktop) return;
    this.busy = true;
    this.problem = null;
    try {
      const { server, reload } = await desktop.servers.add({ from: 'link', offer: question.offer });
      if (question.room) this.#pendingRoom = question.room;
      if (reload && this.#reloadFor(server.url)) return;
      this.busy = false;
      await this.connect(server.url);
    } catch (err) {
      this.problem = serverProblem(err, question.serverUrl);
      this.busy = false;
    }
  }

  /**
   * The page loads again so its CSP allows `url` (a policy cannot grow on a loaded page); the server
   * and any room asked for are picked up after. False (and no reload) when one just happened, so a
   * server whose answers keep changing cannot make the page reload forever.
   */
  #reloadFor(url: string): boolean {
    try {
      const now = Date.now();
      const recent = (sessionStorage.getItem(RELOAD_GUARD_KEY) ?? '')
        .split(',')
        .map(Number)
        .filter((at) => now - at < RELOAD_GUARD_MS);
      if (recent.length >= 2) return false;
      sessionStorage.setItem(RELOAD_GUARD_KEY, [...recent, now].join(','));
    } catch {
      return false;
    }
    sessions.setLastServer(url);
    if (this.#pendingRoom) pendingRoom.set(url, this.#pendingRoom);
    this.screen = { name: 'loading' };
    location.reload();
    return true;
  }

  openRoom(room: string, title: string): void {
    void this.#toPrejoin({ kind: 'member', room, title });
  }

  /** From a desktop deep link or notification. */
  openRoomRef(serverUrl: string, room: string, title = room): void {
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
    void this.#toPrejoin({ kind: 'member', room, title });
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
    const api = this.api;
    const prejoin = this.prejoin;
    if (!api || !prejoin || this.busy) return;
    this.busy = true;
    this.problem = null;
    const serverUrl = this.serverUrl ?? '';
    try {
      const answer = await askToRejoin(api, serverUrl, target, prejoin.choices.displayName.trim(), this.#droppedUrl);
      if (answer.status === 'admitted') {
        await this.#enterMeeting(target, answer);
      } else {
        this.screen = { name: 'waiting', target, roomTitle: answer.roomTitle };
        this.busy = false;
        const abort = new AbortController();
        this.#waitAbort = abort;
        const decision = await waitForAdmission(api, serverUrl, answer.ticket, abort.signal);
        if (this.#waitAbort === abort) this.#waitAbort = null;
        if (decision === 'denied') {
          this.prejoin?.stop();
          this.prejoin = null;
          this.screen = { name: 'ended', target, problem: LOBBY_DENIED };
        } else if (decision) {
          await this.#enterMeeting(target, decision);
        }
      }
    } catch (err) {
      if (err instanceof JoinRefused) {
        this.problem = err.problem;
        if (err.needsPassphrase) this.needsPassphrase = true;
      } else {
        this.problem = apiProblem(err, serverUrl || undefined);
      }
      if (this.screen.name !== 'prejoin') this.screen = { name: 'prejoin', target };
    } finally {
      this.busy = false;
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

  /** Asks whether to enter a meeting that is being recorded; the dialog calls answerRecording. */
  #askRecording(roomTitle: string): Promise<boolean> {
    this.recordingQuestion?.answer(false);
    return new Promise((resolve) => {
      this.recordingQuestion = {
        roomTitle,
        answer: (yes) => {
          this.recordingQuestion = null;
          resolve(yes);
        },
      };
    });
  }

  async #enterMeeting(target: JoinTarget, admitted: Admitted): Promise<void> {
    const { creds, info, isHost } = admitted;
    // Everyone is told before entering a meeting being recorded, and may choose not to.
    if (admitted.recording && !(await this.#askRecording(info.title))) {
      if (this.screen.name !== 'prejoin') this.screen = { name: 'prejoin', target };
      return;
    }
    const prejoin = this.prejoin;
    if (!prejoin) return;
    const call = await this.#loadCall();
    const e2ee = await e2eeForJoin(creds, prejoin.passphrase, call.createE2eeSetup);
    // A quick click on Join must not leave a half-started camera running outside the call.
    await prejoin.settled();
    const tracks = prejoin.takeTracks();
    const ref = { serverUrl: info.serverUrl, room: info.room, title: info.title };
    let meeting: MeetingState | null = null;
    let connecting = true;
    // The meeting screen goes up when the SFU answers the join (connect-room.ts says why); until
    // the connection is up, a failure still goes back to pre-join with the tracks.
    const enter = (parts: Omit<ConnectedRoom, 'published'>): void => {
      if (meeting) return;
      this.#room = parts.room;
      this.#call = { url: creds.url, localMedia: parts.localMedia, passphrase: prejoin.passphrase };
      const host = isHost && this.api ? hostPort(this.api, info.room, this.events) : null;
      const m = new call.MeetingState(call.roomSource(parts), info, host, meetingNotifications(ref));
      meeting = m;
      const stop = m.start();
      const stopHooks = call.exposeTestHooks(parts.room);
      const stopReport = reportCall(m, ref);
      const stopWatch = $effect.root(() => {
        $effect(() => {
          const c = m.connection;
          if (!connecting && c.phase === 'disconnected' && c.endReason) this.#meetingEnded(target, endProblem(c.endReason));
        });
      });
      this.#meetingCleanup = (rejoinPending = false) => {
        stopWatch();
        stopReport({ rejoinPending });
        stopHooks();
        stop();
      };
      this.screen = { name: 'meeting', target, meeting: m };
    };
    let connected: ConnectedRoom;
    try {
      const inputs = { audioinput: prejoin.choices.audioInputId, videoinput: prejoin.choices.videoInputId };
      connected = await call.connectRoom(creds, { tracks, audioOutputId: prejoin.choices.audioOutputId, e2ee, inputs }, enter);
    } catch (err) {
      if (meeting) {
        this.#meetingCleanup?.();
        this.#meetingCleanup = null;
        this.#room = null;
        this.#call = null;
      }
      prejoin.reclaimTracks();
      throw new JoinRefused(connectProblem(err));
    }
    connecting = false;
    enter(connected);
    prejoin.stop();
    this.prejoin = null;
    this.needsPassphrase = false;
    const joined = meeting as MeetingState | null;
    // Publishing runs on after the screen switches (connect-room.ts says why); a track that could
    // not go out is said in the meeting, where the person can try the control again.
    connected.published.catch((err: unknown) => {
      if (joined && connected.room.state !== 'disconnected') joined.notice = publishProblem(err);
    });
    // A disconnection while connecting was the connect's to report; from now on it ends the call.
    if (joined && joined.connection.phase === 'disconnected' && joined.connection.endReason)
      this.#meetingEnded(target, endProblem(joined.connection.endReason));
  }

  #meetingEnded(target: JoinTarget, ended: Problem | null): void {
    const problem = this.#pausedForSleep ? SLEEP_PROBLEM : ended;
    const dropped = !this.#pausedForSleep && problem?.kind === 'connection-lost' ? this.#call : null;
    this.#pausedForSleep = false;
    // A dropped call stays worth rejoining: main then arms recoverCall on wake-up or network return.
    this.#meetingCleanup?.(problem?.kind === 'connection-lost' && target.kind === 'member');
    this.#meetingCleanup = null;
    this.#room = null;
    this.#call = null;
    if (!problem && target.kind === 'member') this.screen = { name: 'home' };
    else this.screen = { name: 'ended', target, problem };
    if (dropped && problem) void this.#rejoinAfterDrop(target, dropped, problem);
  }

  /**
   * The call dropped without anyone ending it: the SFU node under it was drained or went down, or
   * the connection could not be resumed in a few seconds (media/room.ts#reconnectPolicy). Parley
   * joins again at once through the team server, which hands out a node that answers, with the
   * microphone and camera on or off and on the devices they were. It stops trying when the person
   * goes elsewhere, and after about a minute shows the dropped call as before (with Rejoin).
   */
  async #rejoinAfterDrop(target: JoinTarget, dropped: CallInProgress, ended: Problem): Promise<void> {
    const nav = ++this.#nav;
    const media = dropped.localMedia();
    this.screen = { name: 'ended', target, problem: REJOINING };
    let call: CallModule;
    try {
      call = await this.#loadCall();
    } catch {
      if (nav === this.#nav) this.screen = { name: 'ended', target, problem: ended };
      return;
    }
    for (const wait of REJOIN_BACKOFF_MS) {
      if (wait) await new Promise((r) => setTimeout(r, wait));
      if (nav !== this.#nav) return;
      this.prejoin?.stop();
      const prejoin = new call.PreJoinState(this.user?.displayName ?? '');
      prejoin.choices.micEnabled = media.microphone.enabled;
      prejoin.choices.cameraEnabled = media.camera.enabled;
      if (media.microphone.deviceId) prejoin.choices.audioInputId = media.microphone.deviceId;
      if (media.camera.deviceId) prejoin.choices.videoInputId = media.camera.deviceId;
      if (media.audioOutputId) prejoin.choices.audioOutputId = media.audioOutputId;
      prejoin.passphrase = dropped.passphrase;
      this.prejoin = prejoin;
      prejoin.start();
      this.#droppedUrl = dropped.url;
      try {
        await this.join(target);
      } finally {
        this.#droppedUrl = null;
      }
      // join() moved the screen on; TypeScript cannot see that through the await.
      const now = this.screen as Screen;
      if (nav !== this.#nav || now.name === 'meeting' || now.name === 'waiting') return;
      this.screen = { name: 'ended', target, problem: REJOINING };
    }
    this.prejoin?.stop();
    this.prejoin = null;
    this.problem = null;
    this.screen = { name: 'ended', target, problem: ended };
  }

  async leave(): Promise<void> {
    await this.#room?.disconnect();
  }

  /** The computer is about to sleep: leave cleanly (others see you go) and rejoin when it wakes. */
  async pauseForSleep(): Promise<void> {
    if (this.screen.name !== 'meeting' || this.screen.target.kind !== 'member' || !this.#room) return;
    this.#pausedForSleep = true;
    await this.#room.disconnect();
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

export const [getAppContext, setAppContext] = createContext<AppState>();
