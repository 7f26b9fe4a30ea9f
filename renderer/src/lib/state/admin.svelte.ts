// Team administration for admins on home: invite codes, the member list (role, disabled) and a
// room's options. Everything goes through the team server's typed client; the server re-checks that
// the caller is an admin (or the room's host), so this only decides what to show.
import type { E2eeMode, Invite, Role, Room, RoomOptions, User } from '@contracts/api';
import type { ApiClient } from '../api/client';
import { ApiCallState } from './api-call-state.svelte';

export type AdminApi = Pick<ApiClient, 'createInvite' | 'listUsers' | 'updateUser' | 'updateRoom'>;

/** The room options an owner or admin may edit here (`locked` is a meeting control, not a setting). */
export interface RoomOptionsEdit {
  lobby: boolean;
  allowGuests: boolean;
  /** null = no limit beyond the SFU's. */
  maxParticipants: number | null;
  e2ee: E2eeMode;
  /** Guests may share their screen (otherwise camera and microphone only). */
  guestsCanShare: boolean;
  /** Two-person calls go direct (peer to peer). */
  directCalls: boolean;
  /** Hosts may record the room's meetings. */
  allowRecording: boolean;
}

export class AdminState extends ApiCallState {
  users = $state.raw<User[]>([]);
  invite = $state.raw<Invite | null>(null);

  readonly #api: AdminApi;

  constructor(api: AdminApi, serverUrl: string) {
    super(serverUrl);
    this.#api = api;
  }

  async loadUsers(): Promise<void> {
    const list = await this.run(() => this.#api.listUsers());
    if (list) this.users = list.users;
  }

  async createInvite(role: Role, expiresInHours = 72): Promise<Invite | null> {
    const invite = await this.run(() => this.#api.createInvite({ role, expiresInHours }));
    if (invite) this.invite = invite;
    return invite;
  }

  #replace(user: User): void {
    this.users = this.users.map((u) => (u.id === user.id ? user : u));
  }

  async setRole(userId: string, role: Role): Promise<void> {
    const user = await this.run(() => this.#api.updateUser(userId, { role }));
    if (user) this.#replace(user);
  }

  async setDisabled(userId: string, disabled: boolean): Promise<void> {
    const user = await this.run(() => this.#api.updateUser(userId, { disabled }));
    if (user) this.#replace(user);
  }

  /** Saves the options; the lobby only means something when guests are allowed. */
  updateRoom(room: string, edit: RoomOptionsEdit): Promise<Room | null> {
    const options: Partial<RoomOptions> = {
      ...edit,
      lobby: edit.allowGuests && edit.lobby,
      guestsCanShare: edit.allowGuests && edit.guestsCanShare,
    };
    return this.run(() => this.#api.updateRoom(room, { options }));
  }
}

/** "42" -> 42, "" -> null (no limit); anything outside 2..1000 is refused. */
export function parseMaxParticipants(text: string): number | null | 'invalid' {
  const t = text.trim();
  if (!t) return null;
  if (!/^\d+$/.test(t)) return 'invalid';
  const n = Number(t);
  return n >= 2 && n <= 1000 ? n : 'invalid';
}
