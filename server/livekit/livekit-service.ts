import { AccessToken, RoomServiceClient, TrackSource, WebhookReceiver, type ParticipantInfo } from 'livekit-server-sdk';
import { cleanText, ParticipantRole, type Participant, type TrackSourceName } from '@contracts/api';
import { LivekitNodes } from '../cluster/livekit-nodes';
import { HttpError } from '../http-errors';

export interface LivekitKeys {
  apiKey: string;
  apiSecret: string;
}

export interface LivekitUrls {
  /** Server-side API URL (http(s):// or ws(s)://). */
  apiUrl: string;
  /** What clients connect to (ws(s)://): one URL (one SFU, or a cluster behind a load balancer). */
  publicUrl: string;
  /** A cluster's nodes, handed out to clients in turn instead of publicUrl (see cluster/livekit-nodes.ts). */
  nodeUrls?: readonly string[];
}

export interface TokenRequest {
  room: string;
  identity: string;
  displayName: string;
  role: ParticipantRole;
  userId?: string;
  /** Guests only: may they share a screen (else camera and microphone only). */
  canShareScreen?: boolean;
}

/** Join tokens only open the first connection; the SFU refreshes them for the session's lifetime. */
const TOKEN_TTL_SECONDS = 10 * 60;
const API_TIMEOUT_MS = 5000;

const SOURCES: Record<TrackSourceName, TrackSource> = {
  microphone: TrackSource.MICROPHONE,
  camera: TrackSource.CAMERA,
  screen_share: TrackSource.SCREEN_SHARE,
};

/** What a guest may publish: camera and microphone, plus the screen when the room allows it. */
const GUEST_SOURCES = [TrackSource.CAMERA, TrackSource.MICROPHONE];
const GUEST_SOURCES_SHARING = [...GUEST_SOURCES, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO];

/** The one place that holds the LiveKit secret: mints tokens and drives the SFU's room API. */
export class LivekitService {
  private client: RoomServiceClient | undefined;
  private urls: LivekitUrls | undefined;
  private nodes: LivekitNodes | undefined;
  readonly webhooks: WebhookReceiver;

  constructor(private readonly keys: LivekitKeys) {
    this.webhooks = new WebhookReceiver(keys.apiKey, keys.apiSecret);
  }

  /**
   * Points the service at the SFU. Separate from the constructor because the embedded SFU starts
   * after the HTTP server listens (it needs the webhook address).
   */
  connect(urls: LivekitUrls): void {
    this.urls = urls;
    this.nodes = urls.nodeUrls?.length ? new LivekitNodes(urls.nodeUrls) : undefined;
    this.client = new RoomServiceClient(urls.apiUrl.replace(/^ws/, 'http'), this.keys.apiKey, this.keys.apiSecret, {
      requestTimeout: API_TIMEOUT_MS,
    });
  }

  get publicUrl(): string {
    return this.urls?.publicUrl ?? '';
  }

  /** Every URL a client may be sent to (the web client's CSP allows each). */
  get clientUrls(): string[] {
    return this.nodes ? [...this.nodes.urls] : [this.publicUrl];
  }

  /** The SFU URL for the next joining client: a healthy node in turn where nodes are listed, else the one URL. */
  async clientUrl(): Promise<string> {
    return this.nodes ? this.nodes.pick() : this.publicUrl;
  }

  /** The SFU as the server reaches it (ws://), for server-side participants such as the recorder. */
  get apiUrl(): string {
    return (this.urls?.apiUrl ?? '').replace(/^http/, 'ws');
  }

  private get rooms(): RoomServiceClient {
    if (!this.client) throw new HttpError('SFU_UNAVAILABLE', 'the SFU is not connected yet');
    return this.client;
  }

  /**
   * A join token for one room. Hosts get roomAdmin for that room only (never roomList/roomCreate).
   * Nobody may change their own metadata or attributes: role and name there are the server's word.
   */
  async token(req: TokenRequest): Promise<string> {
    const at = new AccessToken(this.keys.apiKey, this.keys.apiSecret, {
      identity: req.identity,
      name: req.displayName,
      ttl: TOKEN_TTL_SECONDS,
      attributes: { role: req.role, displayName: req.displayName, ...(req.userId ? { userId: req.userId } : {}) },
    });
    at.addGrant({
      room: req.room,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      // Guests keep data: chat, raised hands and reactions travel as data messages and LiveKit has
      // no per-topic grant. Receivers name the sender from the SFU-stamped identity, never from the
      // payload, so data cannot impersonate; a host removes a guest who misuses it.
      canPublishData: true,
      canUpdateOwnMetadata: false,
      ...(req.role === 'guest' ? { canPublishSources: req.canShareScreen ? GUEST_SOURCES_SHARING : GUEST_SOURCES } : {}),
      ...(req.role === 'host' ? { roomAdmin: true } : {}),
    });
    return at.toJwt();
  }

  /**
   * The recorder's token: hidden (nobody sees it in the room), subscribe-only, and marked as a
   * recorder, so the SFU tells every participant the room is being recorded while it is in.
   */
  async recorderToken(room: string, identity: string): Promise<string> {
    const at = new AccessToken(this.keys.apiKey, this.keys.apiSecret, { identity, name: 'Recorder', ttl: TOKEN_TTL_SECONDS });
    at.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false, hidden: true, recorder: true });
    return at.toJwt();
  }

  /** Who is in room now; [] when the SFU has no such room (nobody joined yet, or it closed). */
  async participants(room: string): Promise<Participant[]> {
    return (await this.listParticipants(room)).map(toParticipant);
  }

  /** Participants of every open room, for the room listing (one call per open room). */
  async participantsByRoom(): Promise<Map<string, Participant[]>> {
    const active = await this.call(() => this.rooms.listRooms());
    const out = new Map<string, Participant[]>();
    // numParticipants in listRooms lags behind joins, so every open room is asked.
    await Promise.all(active.map(async (r) => out.set(r.name, await this.participants(r.name))));
    return out;
  }

  async mute(room: string, identity: string, source: TrackSourceName): Promise<void> {
    const p = await this.participant(room, identity);
    const tracks = p.tracks.filter((t) => t.source === SOURCES[source]);
    if (!tracks.length) throw new HttpError('TRACK_NOT_FOUND', `${identity} publishes no ${source}`);
    for (const t of tracks) await this.call(() => this.rooms.mutePublishedTrack(room, identity, t.sid, true));
  }

  async remove(room: string, identity: string): Promise<void> {
    await this.participant(room, identity);
    await this.call(() => this.rooms.removeParticipant(room, identity));
  }

  /** Disconnects everyone; the SFU then closes the room (and posts room_finished). */
  async endRoom(room: string): Promise<boolean> {
    const active = await this.call(() => this.rooms.listRooms([room]));
    if (!active.length) return false;
    await this.call(() => this.rooms.deleteRoom(room));
    return true;
  }

  /** Removes every participant of userId from every room (after disabling the user). */
  async removeUserEverywhere(userId: string): Promise<void> {
    for (const [room, ps] of await this.participantsByRoom()) {
      for (const p of ps)
        if (p.userId === userId) await this.call(() => this.rooms.removeParticipant(room, p.identity)).catch(() => undefined);
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.call(() => this.rooms.listRooms());
      return true;
    } catch {
      return false;
    }
  }

  private async participant(room: string, identity: string): Promise<ParticipantInfo> {
    const all = await this.listParticipants(room);
    const p = all.find((x) => x.identity === identity);
    if (!p) throw new HttpError('PARTICIPANT_NOT_FOUND', `${identity} is not in ${room}`);
    return p;
  }

  private async listParticipants(room: string): Promise<ParticipantInfo[]> {
    try {
      // Hidden participants (the recorder) are nobody's business in listings and attendance.
      return (await this.call(() => this.rooms.listParticipants(room))).filter((p) => !p.permission?.hidden);
    } catch (err) {
      if (isNotFound((err as Error).cause)) return [];
      throw err;
    }
  }

  /** SFU failures surface as 503 SFU_UNAVAILABLE, never as a raw 500 with the SDK's message. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw Object.assign(new HttpError('SFU_UNAVAILABLE', 'the SFU did not answer'), { cause: err });
    }
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { status?: unknown; code?: unknown } | undefined;
  return e?.status === 404 || e?.code === 'not_found';
}

export function toParticipant(p: ParticipantInfo): Participant {
  const role = ParticipantRole.safeParse(p.attributes.role);
  const joinedMs = Number(p.joinedAtMs) || Number(p.joinedAt) * 1000;
  return {
    identity: p.identity,
    displayName: cleanText(p.attributes.displayName ?? p.name ?? p.identity),
    role: role.success ? role.data : 'member',
    userId: p.attributes.userId ?? null,
    joinedAt: joinedMs ? new Date(joinedMs).toISOString() : null,
  };
}
