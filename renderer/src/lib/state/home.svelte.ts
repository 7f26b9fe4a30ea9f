// Home: the team's rooms with who is in each right now, and recent meetings. Live through the
// server's event stream, with a slow poll as a safety net if the stream is down.
import type { Meeting, Recording, Room, RoomOptions } from '@contracts/api';
import type { ApiClient } from '../api/client';
import type { ServerEventStream } from '../api/event-stream';
import { apiProblem, type Problem } from '../problems';

const POLL_MS = 30_000;

export class HomeState {
  rooms = $state.raw<Room[]>([]);
  meetings = $state.raw<Meeting[]>([]);
  recordings = $state.raw<Recording[]>([]);
  loaded = $state(false);
  problem = $state.raw<Problem | null>(null);
  creating = $state(false);

  readonly #api: ApiClient;
  readonly #events: ServerEventStream | null;
  readonly #serverUrl: string;

  constructor(api: ApiClient, events: ServerEventStream | null, serverUrl: string) {
    this.#api = api;
    this.#events = events;
    this.#serverUrl = serverUrl;
  }

  start(): () => void {
    void this.refresh();
    let pending: ReturnType<typeof setTimeout> | undefined;
    // Bursts (five people joining at once) become one refresh.
    const soon = (): void => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        void this.refresh();
      }, 250);
    };
    const off = this.#events?.listen((e) => {
      if (e.type !== 'lobby.waiting' && e.type !== 'lobby.resolved') soon();
    });
    const poll = setInterval(() => void this.refresh(), POLL_MS);
    return () => {
      off?.();
      clearInterval(poll);
      if (pending) clearTimeout(pending);
    };
  }

  async refresh(): Promise<void> {
    try {
      const [rooms, meetings, recordings] = await Promise.all([
        this.#api.listAllRooms(),
        this.#api.listMeetings({ limit: 8 }).catch(() => ({ meetings: [] })),
        this.#api.listRecordings({ limit: 20 }).catch(() => ({ recordings: [] })),
      ]);
      this.rooms = rooms.rooms;
      this.meetings = meetings.meetings;
      this.recordings = recordings.recordings;
      this.problem = null;
    } catch (err) {
      this.problem = apiProblem(err, this.#serverUrl);
    } finally {
      this.loaded = true;
    }
  }

  async create(title: string, options: Partial<RoomOptions>): Promise<Room | null> {
    this.creating = true;
    try {
      const room = await this.#api.createRoom({ name: slugify(title), title, options });
      this.rooms = [...this.rooms, room];
      this.problem = null;
      return room;
    } catch (err) {
      this.problem = apiProblem(err, this.#serverUrl);
      return null;
    } finally {
      this.creating = false;
    }
  }

  /** Downloads a recording through a short-lived signed link the server hands out. */
  async download(id: string): Promise<void> {
    try {
      const { url } = await this.#api.recordingDownload(id);
      const a = document.createElement('a');
      a.href = url;
      a.download = '';
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
    } catch (err) {
      this.problem = apiProblem(err, this.#serverUrl);
    }
  }

  async guestLink(room: string): Promise<string | null> {
    try {
      return (await this.#api.createGuestLink(room)).url;
    } catch (err) {
      this.problem = apiProblem(err, this.#serverUrl);
      return null;
    }
  }
}

/** Room URL name from a title: "Design review!" -> "design-review". */
function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return slug || `room-${Math.random().toString(36).slice(2, 8)}`;
}
