// The meeting's state in runes: what the meeting view renders and every action it offers.
// Fed by a MeetingSource (LiveKit) and a HostPort (team server); owns nothing LiveKit-specific.
import { createContext } from 'svelte';
import type { LobbyEntry, TrackSourceName } from '@contracts/api';
import { chooseLayout, screenKey, type Layout, type LayoutMode } from '../layout';
import type { DeviceKind, DeviceOption } from '../livekit/devices';
import type { MeetingSource } from '../livekit/meeting-source';
import { EMPTY_SAMPLE, type StatsSample } from '../livekit/stats-sampler';
import type { BackgroundEffect } from '../media/background-effect';
import type { ScreenShareMode } from '../media/screen-share';
import { Disposer } from '../livekit/subscribable';
import type { ChatMessage, ConnectionStatus, ParticipantSnapshot, QualityLevel, Reaction, ReactionEmoji } from '../livekit/types';
import { qualityWords } from '../quality';
import { mediaProblem, apiProblem, type Problem, type MediaDevice } from '../problems';

/** What hosts do through the team server (never directly on the SFU). */
export interface HostPort {
  mute(identity: string, source: TrackSourceName): Promise<void>;
  remove(identity: string): Promise<void>;
  setLocked(locked: boolean): Promise<void>;
  end(): Promise<void>;
  admit(id: string): Promise<void>;
  deny(id: string): Promise<void>;
  /** Current lobby, then every change; returns unsubscribe. */
  watchLobby(run: (waiting: LobbyEntry[]) => void): () => void;
  /** Whether the room is locked now. */
  isLocked(): Promise<boolean>;
  startRecording(): Promise<void>;
  stopRecording(): Promise<void>;
}

export interface MeetingInfo {
  room: string;
  title: string;
  serverUrl: string;
}

export type Panel = 'chat' | 'participants' | 'stats';

export interface MeetingEvents {
  chatReceived?(message: ChatMessage): void;
  handRaised?(participant: ParticipantSnapshot): void;
  lobbyGuest?(entry: LobbyEntry): void;
}

const REACTION_MS = 4000;
const ANNOUNCEMENT_MS = 8000;

export class MeetingState {
  readonly info: MeetingInfo;
  participants = $state.raw<ParticipantSnapshot[]>([]);
  connection = $state.raw<ConnectionStatus>({ phase: 'connecting', endReason: null });
  stats = $state.raw<StatsSample>(EMPTY_SAMPLE);
  messages = $state.raw<ChatMessage[]>([]);
  unread = $state(0);
  panel = $state<Panel | null>(null);
  reactions = $state.raw<Reaction[]>([]);
  layoutMode = $state<LayoutMode>('auto');
  pinned = $state<string | null>(null);
  page = $state(0);
  helpOpen = $state(false);
  /** The meeting is being recorded now (everyone sees it; hosts start and stop it). */
  recording = $state(false);
  recordingPending = $state(false);
  /** A short note shown for a while (recording started or stopped), not a problem. */
  announcement = $state<string | null>(null);
  /** A problem shown as a dismissible toast (a device that failed mid-call, a host action that failed). */
  notice = $state<Problem | null>(null);
  pending = $state({ microphone: false, camera: false, screen: false, hand: false });
  lobby = $state.raw<LobbyEntry[]>([]);
  locked = $state(false);
  audioBlocked = $state(false);
  devices = $state<Record<DeviceKind, DeviceOption[]>>({ audioinput: [], videoinput: [], audiooutput: [] });
  activeDevices = $state<Record<DeviceKind, string | undefined>>({ audioinput: undefined, videoinput: undefined, audiooutput: undefined });
  /** Screen-share tile keys in the order shares started. */
  shareOrder = $state.raw<string[]>([]);
  lastSpeaker = $state<string | null>(null);
  encrypted = $state(false);
  backgroundEffect = $state.raw<BackgroundEffect>({ kind: 'none' });
  /** What the next screen share is tuned for: sharp text at 5 fps, or fluid motion at 30 fps. */
  shareMode = $state<ScreenShareMode>('text');
  /** Per participant identity: why their media cannot be decrypted (shown on their tiles). */
  decryptionProblems = $state.raw<Record<string, string>>({});

  readonly local = $derived(this.participants.find((p) => p.isLocal));
  readonly isHost = $derived(this.local?.role === 'host');
  readonly handQueue = $derived(
    this.participants
      .filter((p) => p.handRaisedAt !== null)
      .sort((a, b) => (a.handRaisedAt ?? 0) - (b.handRaisedAt ?? 0) || a.identity.localeCompare(b.identity)),
  );
  readonly handRaised = $derived(this.local?.handRaisedAt != null);
  readonly sharing = $derived(this.local?.screenTrack != null);
  readonly layout: Layout = $derived(
    chooseLayout({
      participants: this.participants,
      mode: this.layoutMode,
      pinned: this.pinned,
      shareOrder: this.shareOrder,
      lastSpeaker: this.lastSpeaker,
    }),
  );
  readonly reconnecting = $derived(this.connection.phase === 'reconnecting');

  readonly #source: MeetingSource;
  readonly #host: HostPort | null;
  readonly #events: MeetingEvents;
  readonly #disposer = new Disposer();
  #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(source: MeetingSource, info: MeetingInfo, host: HostPort | null = null, events: MeetingEvents = {}) {
    this.#source = source;
    this.info = info;
    this.#host = host;
    this.#events = events;
  }

  /** Subscribes to everything; returns the cleanup (call from an $effect or on leave). */
  start(): () => void {
    const d = this.#disposer;
    d.add(this.#source.participants.subscribe((list) => this.#onParticipants(list)));
    d.add(this.#source.connection.subscribe((c) => (this.connection = c)));
    d.add(this.#source.stats.subscribe((s) => (this.stats = s)));
    d.add(this.#source.audioBlocked.subscribe((b) => (this.audioBlocked = b)));
    for (const kind of ['audioinput', 'videoinput', 'audiooutput'] as const) {
      d.add(this.#source.devices(kind).subscribe((list) => (this.devices[kind] = list)));
      d.add(this.#source.activeDevice(kind).subscribe((id) => (this.activeDevices[kind] = id)));
    }
    d.add(this.#source.encrypted.subscribe((e) => (this.encrypted = e)));
    let firstRecording = true;
    d.add(
      this.#source.recording.subscribe((on) => {
        const was = this.recording;
        this.recording = on;
        if (firstRecording) {
          firstRecording = false;
          if (on) this.#announce('This meeting is being recorded. Everyone in it can see this.');
        } else if (on !== was) {
          this.#announce(on ? 'Recording started. Everyone in the meeting can see that it is being recorded.' : 'Recording stopped.');
        }
      }),
    );
    d.add(
      this.#source.onDecryptionProblem((p) => {
        // The affected person's tile shows why instead of a frozen picture; without a participant
        // (an error of our own key setup) it is a toast.
        if (p.participant) this.decryptionProblems = { ...this.decryptionProblems, [p.participant]: p.message };
        else this.notice = { kind: 'unknown', title: "Can't decrypt the meeting's media", message: p.message };
      }),
    );
    this.backgroundEffect = this.#source.backgroundEffect();
    d.add(this.#source.onChat((m) => this.#receiveChat(m)));
    d.add(this.#source.onReaction((r) => this.#showReaction(r)));
    if (this.#host) {
      const host = this.#host;
      let known = new Set<string>();
      d.add(
        host.watchLobby((waiting) => {
          for (const entry of waiting) if (!known.has(entry.id)) this.#events.lobbyGuest?.(entry);
          known = new Set(waiting.map((e) => e.id));
          this.lobby = waiting;
        }),
      );
      void host
        .isLocked()
        .then((l) => (this.locked = l))
        .catch(() => undefined);
    }
    d.add(() => {
      for (const t of this.#timers) clearTimeout(t);
      this.#timers.clear();
    });
    return () => d.dispose();
  }

  #onParticipants(list: ParticipantSnapshot[]): void {
    const before = new Map(this.participants.map((p) => [p.identity, p]));
    // Keep the share order stable: existing shares keep their place, new ones go last.
    const live = new Set(list.filter((p) => p.screenTrack).map((p) => screenKey(p.identity)));
    const order = this.shareOrder.filter((k) => live.has(k));
    for (const k of live) if (!order.includes(k)) order.push(k);
    if (order.length !== this.shareOrder.length || order.some((k, i) => k !== this.shareOrder[i])) this.shareOrder = order;

    const speaking = list.find((p) => !p.isLocal && p.speaking);
    if (speaking && !list.some((p) => p.identity === this.lastSpeaker && p.speaking)) this.lastSpeaker = speaking.identity;
    if (this.pinned && !list.some((p) => this.pinned?.startsWith(`${p.identity}:`) && (this.pinned.endsWith(':camera') || p.screenTrack))) {
      this.pinned = null; // The pinned person left or stopped sharing.
    }
    for (const p of list) {
      const was = before.get(p.identity);
      if (!p.isLocal && p.handRaisedAt !== null && was && was.handRaisedAt === null) this.#events.handRaised?.(p);
    }
    this.participants = list;
  }

  #receiveChat(message: ChatMessage): void {
    this.messages = [...this.messages, message];
    if (this.panel !== 'chat') this.unread += 1;
    this.#events.chatReceived?.(message);
  }

  #announce(text: string): void {
    this.announcement = text;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (this.announcement === text) this.announcement = null;
    }, ANNOUNCEMENT_MS);
    this.#timers.add(t);
  }

  #showReaction(reaction: Reaction): void {
    this.reactions = [...this.reactions, reaction];
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.reactions = this.reactions.filter((r) => r.id !== reaction.id);
    }, REACTION_MS);
    this.#timers.add(t);
  }

  qualityOf(identity: string): QualityLevel {
    return this.stats.quality[identity] ?? 'unknown';
  }

  /** The connection problem in words ('Ada has a poor connection'), or null when there is none. */
  qualityNote(identity: string): string | null {
    const p = this.participant(identity);
    if (!p) return null;
    return qualityWords(this.qualityOf(identity), { isLocal: p.isLocal, name: p.name }, p.isLocal && this.stats.videoPaused);
  }

  participant(identity: string): ParticipantSnapshot | undefined {
    return this.participants.find((p) => p.identity === identity);
  }

  togglePanel(panel: Panel): void {
    this.panel = this.panel === panel ? null : panel;
    if (this.panel === 'chat') this.unread = 0;
  }

  closePanel(): void {
    this.panel = null;
  }

  togglePin(key: string): void {
    this.pinned = this.pinned === key ? null : key;
  }

  async #media(kind: 'microphone' | 'camera' | 'screen', run: () => Promise<void>): Promise<void> {
    if (this.pending[kind]) return;
    this.pending[kind] = true;
    try {
      await run();
    } catch (err) {
      // Cancelling the browser's share picker is a choice, not an error.
      if (kind === 'screen' && err instanceof Error && err.name === 'NotAllowedError' && /cancel|dismiss|denied by user/i.test(err.message))
        return;
      this.notice = mediaProblem(err, kind as MediaDevice);
    } finally {
      this.pending[kind] = false;
    }
  }

  toggleMicrophone(): Promise<void> {
    const on = !(this.local?.micEnabled ?? false);
    return this.#media('microphone', () => this.#source.setMicrophone(on));
  }

  toggleCamera(): Promise<void> {
    const on = !(this.local?.cameraEnabled ?? false);
    return this.#media('camera', () => this.#source.setCamera(on));
  }

  toggleScreenShare(): Promise<void> {
    const on = !this.sharing;
    return this.#media('screen', () => this.#source.setScreenShare(on, this.shareMode));
  }

  /** Chooses the mode; a running share is restarted in it (the browser asks for the source again). */
  async setShareMode(mode: ScreenShareMode): Promise<void> {
    if (mode === this.shareMode) return;
    this.shareMode = mode;
    if (!this.sharing) return;
    await this.#media('screen', async () => {
      await this.#source.setScreenShare(false);
      await this.#source.setScreenShare(true, mode);
    });
  }

  stopScreenShare(): Promise<void> {
    if (!this.sharing) return Promise.resolve();
    return this.#media('screen', () => this.#source.setScreenShare(false));
  }

  async switchDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    try {
      await this.#source.switchDevice(kind, deviceId);
    } catch (err) {
      this.notice = mediaProblem(err, kind === 'videoinput' ? 'camera' : 'microphone');
    }
  }

  async setBackgroundEffect(effect: BackgroundEffect): Promise<void> {
    const result = await this.#source.setBackgroundEffect(effect);
    if (result.ok) this.backgroundEffect = effect;
    else {
      this.backgroundEffect = { kind: 'none' };
      this.notice = { kind: 'unknown', title: 'Background effect unavailable', message: result.message };
    }
  }

  async toggleHand(): Promise<void> {
    if (this.pending.hand) return;
    this.pending.hand = true;
    try {
      await this.#source.setHandRaised(!this.handRaised);
    } catch (err) {
      this.notice = { kind: 'unknown', title: "Couldn't change your hand", message: err instanceof Error ? err.message : String(err) };
    } finally {
      this.pending.hand = false;
    }
  }

  async sendChat(text: string): Promise<boolean> {
    const body = text.trim();
    if (!body) return false;
    try {
      const sent = await this.#source.sendChat(body);
      this.messages = [...this.messages, sent];
      return true;
    } catch (err) {
      this.notice = { kind: 'unknown', title: "Your message wasn't sent", message: err instanceof Error ? err.message : String(err) };
      return false;
    }
  }

  async react(emoji: ReactionEmoji): Promise<void> {
    try {
      this.#showReaction(await this.#source.sendReaction(emoji));
    } catch {
      // A reaction that did not go out is not worth an error message.
    }
  }

  async #hostAction(title: string, run: (host: HostPort) => Promise<void>): Promise<void> {
    if (!this.#host) return;
    try {
      await run(this.#host);
    } catch (err) {
      const p = apiProblem(err, this.info.serverUrl);
      this.notice = { ...p, title: `${title}: ${p.title}` };
    }
  }

  muteParticipant(identity: string, source: TrackSourceName = 'microphone'): Promise<void> {
    return this.#hostAction("Couldn't mute", (h) => h.mute(identity, source));
  }
  removeParticipant(identity: string): Promise<void> {
    return this.#hostAction("Couldn't remove", (h) => h.remove(identity));
  }
  admit(id: string): Promise<void> {
    return this.#hostAction("Couldn't admit", async (h) => {
      await h.admit(id);
      this.lobby = this.lobby.filter((e) => e.id !== id);
    });
  }
  deny(id: string): Promise<void> {
    return this.#hostAction("Couldn't deny", async (h) => {
      await h.deny(id);
      this.lobby = this.lobby.filter((e) => e.id !== id);
    });
  }
  setLocked(locked: boolean): Promise<void> {
    return this.#hostAction(locked ? "Couldn't lock the room" : "Couldn't unlock the room", async (h) => {
      await h.setLocked(locked);
      this.locked = locked;
    });
  }
  /** Starts or stops recording (hosts); the banner follows what the SFU then says. */
  async toggleRecording(): Promise<void> {
    if (this.recordingPending) return;
    this.recordingPending = true;
    const on = !this.recording;
    try {
      await this.#hostAction(on ? "Couldn't start recording" : "Couldn't stop recording", (h) =>
        on ? h.startRecording() : h.stopRecording(),
      );
    } finally {
      this.recordingPending = false;
    }
  }
  endForAll(): Promise<void> {
    return this.#hostAction("Couldn't end the meeting", (h) => h.end());
  }

  startAudio(): Promise<void> {
    return this.#source.startAudio();
  }

  leave(): Promise<void> {
    return this.#source.leave();
  }
}

export const [getMeetingContext, setMeetingContext] = createContext<MeetingState>();
