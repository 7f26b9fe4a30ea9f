// Where the app is: connect -> sign in (or setup) -> home -> pre-join -> (lobby) -> meeting -> ended,
// and the links that lead straight into a room or a guest invitation.
import type { Problem } from '../problems';
import type { MeetingState } from './meeting.svelte';

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
