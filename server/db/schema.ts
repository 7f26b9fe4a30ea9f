import type { ParticipantRole, Role } from '@contracts/api';

/**
 * The tables as the query builder sees them, the same in SQLite and PostgreSQL: times are integer
 * milliseconds since the epoch (BIGINT in PostgreSQL, read back as numbers), booleans are 0/1.
 */
export interface Schema {
  users: {
    id: string;
    username: string;
    display_name: string;
    password_hash: string;
    role: Role;
    disabled: number;
    created_at: number;
  };
  sessions: {
    id: string;
    user_id: string;
    token_hash: string;
    created_at: number;
    expires_at: number;
    revoked_at: number | null;
    last_used_at: number | null;
    max_expires_at: number | null;
    client: string;
    address: string;
  };
  invites: {
    id: string;
    code_hash: string;
    role: Role;
    created_by: string;
    created_at: number;
    expires_at: number;
    used_by: string | null;
    used_at: number | null;
    revoked_at: number | null;
  };
  rooms: {
    name: string;
    title: string;
    owner_id: string;
    lobby: number;
    allow_guests: number;
    locked: number;
    max_participants: number | null;
    e2ee: 'off' | 'room-key' | 'passphrase';
    e2ee_key: string | null;
    guests_can_share: number;
    direct_calls: number;
    allow_recording: number;
    created_at: number;
  };
  meetings: { id: string; room_name: string; started_at: number; ended_at: number | null };
  attendance: {
    meeting_id: string;
    participant_sid: string;
    identity: string;
    user_id: string | null;
    display_name: string;
    role: ParticipantRole;
    joined_at: number;
    left_at: number | null;
  };
  webhook_events: { id: string; received_at: number };
  settings: { key: string; value: string };
  guest_links: {
    id: string;
    room_name: string;
    secret_hash: string;
    label: string;
    created_by: string;
    created_at: number;
    expires_at: number;
    max_uses: number;
    uses: number;
    revoked_at: number | null;
  };
  recordings: {
    id: string;
    room_name: string;
    meeting_id: string | null;
    started_by: string | null;
    started_at: number;
    ended_at: number | null;
    status: 'recording' | 'processing' | 'ready' | 'failed';
    partial: number;
    end_reason: string | null;
    duration_ms: number | null;
    size_bytes: number | null;
    storage: 'local' | 's3';
    storage_key: string | null;
  };
}
