// Every failure a person can hit, turned into what happened and what to do about it. The wording
// is the product: say which device or which room, and the next step.
import type { ApiError } from '@contracts/api-client';
import type { EndReason } from './livekit/types';

export type ProblemKind =
  | 'permission-denied'
  | 'device-in-use'
  | 'device-missing'
  | 'server-unreachable'
  | 'room-full'
  | 'room-locked'
  | 'removed'
  | 'ended'
  | 'guests-not-allowed'
  | 'link-invalid'
  | 'lobby-denied'
  | 'signed-out'
  | 'connection-lost'
  | 'rejoining'
  | 'duplicate'
  | 'not-found'
  | 'unknown';

export interface Problem {
  kind: ProblemKind;
  title: string;
  message: string;
}

export type MediaDevice = 'camera' | 'microphone' | 'screen';

function isApiError(err: unknown): err is ApiError {
  // Duck-typed: the class may come from another bundle copy of the client.
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'ApiError' && 'code' in err && 'status' in err;
}

type DeviceFailure = 'PermissionDenied' | 'DeviceInUse' | 'NotFound' | 'Other';

/**
 * livekit-client's MediaDeviceFailure.getFailure, by the same error names, kept here so this module
 * (also used by the first screen) does not pull livekit-client into the initial chunk.
 */
export function deviceFailure(err: unknown): DeviceFailure {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError') return 'NotFound';
  if (name === 'NotAllowedError' || name === 'PermissionDeniedError') return 'PermissionDenied';
  if (name === 'NotReadableError' || name === 'TrackStartError') return 'DeviceInUse';
  return 'Other';
}

export function mediaProblem(err: unknown, device: MediaDevice): Problem {
  const failure = deviceFailure(err);
  const noun = device === 'camera' ? 'camera' : device === 'microphone' ? 'microphone' : 'screen';
  switch (failure) {
    case 'PermissionDenied':
      return device === 'screen'
        ? {
            kind: 'permission-denied',
            title: 'Screen sharing was blocked',
            message:
              'Allow screen recording for Parley (on macOS: System Settings → Privacy & Security → Screen Recording), then try again.',
          }
        : {
            kind: 'permission-denied',
            title: `Parley can't use your ${noun}`,
            message: `Access to the ${noun} was denied. Allow it in your browser's site settings (the icon left of the address bar) or your system's privacy settings, then try again.`,
          };
    case 'DeviceInUse':
      return {
        kind: 'device-in-use',
        title: `Your ${noun} is busy`,
        message: `Another app is using the ${noun}. Close it (or pick another ${noun}), then try again.`,
      };
    case 'NotFound':
      return {
        kind: 'device-missing',
        title: `No ${noun} found`,
        message: `Connect a ${noun} or choose another one. You can still join with it off.`,
      };
    default:
      return { kind: 'unknown', title: `The ${noun} didn't start`, message: err instanceof Error ? err.message : String(err) };
  }
}

export function apiProblem(err: unknown, serverUrl = 'the team server'): Problem {
  if (!isApiError(err)) {
    return { kind: 'unknown', title: 'Something went wrong', message: err instanceof Error ? err.message : String(err) };
  }
  switch (err.code) {
    case 'NETWORK':
      return {
        kind: 'server-unreachable',
        title: "Can't reach the team server",
        message: `${serverUrl} is not answering. Check the address and your network, then try again.`,
      };
    case 'SFU_UNAVAILABLE':
      return {
        kind: 'server-unreachable',
        title: 'The meeting service is down',
        message: 'The team server is up but its media server is not. Try again in a minute, or tell whoever runs the server.',
      };
    case 'ROOM_FULL':
      return {
        kind: 'room-full',
        title: 'This meeting is full',
        message: 'The room has reached its participant limit. Ask a host to raise it or try again when someone leaves.',
      };
    case 'ROOM_LOCKED':
      return {
        kind: 'room-locked',
        title: 'This meeting is locked',
        message: 'A host locked the room so nobody new can join. Ask a host to unlock it.',
      };
    case 'GUESTS_NOT_ALLOWED':
      return {
        kind: 'guests-not-allowed',
        title: "Guests can't join this room",
        message: 'Ask the host to allow guests or to send you a new link.',
      };
    case 'GUEST_LINK_INVALID':
    case 'TICKET_INVALID':
      return {
        kind: 'link-invalid',
        title: 'This link no longer works',
        message: 'The guest link has expired, been used up or been revoked. Ask the host for a new one.',
      };
    case 'UNAUTHORIZED':
      return { kind: 'signed-out', title: 'You were signed out', message: 'Your session ended. Sign in again to continue.' };
    case 'NOT_FOUND':
      return {
        kind: 'not-found',
        title: "This room doesn't exist",
        message: 'It may have been deleted. Check the link or pick a room from the list.',
      };
    case 'INVALID_CREDENTIALS':
      return { kind: 'unknown', title: "That didn't work", message: 'Wrong username or password.' };
    case 'WRONG_PASSWORD':
      return { kind: 'unknown', title: 'Password not changed', message: 'The current password is not right. Type it again.' };
    case 'RATE_LIMITED':
      return { kind: 'unknown', title: 'Too many tries', message: `${(err as { message?: string }).message ?? 'Wait a little'}.` };
    case 'LIMIT_REACHED':
      return { kind: 'unknown', title: 'Limit reached', message: `${(err as { message?: string }).message ?? 'A limit was reached'}.` };
    default:
      return { kind: 'unknown', title: 'Something went wrong', message: (err as { message?: string }).message ?? 'Unknown error' };
  }
}

/** The SFU connection itself failed (the team server already said yes). */
export function connectProblem(err: unknown): Problem {
  const message = err instanceof Error ? err.message : String(err);
  if (/full/i.test(message)) return apiProblem({ name: 'ApiError', code: 'ROOM_FULL', status: 403, message });
  if (/permission|not allowed|unauthor/i.test(message)) {
    return {
      kind: 'unknown',
      title: 'The meeting refused the connection',
      message: 'Your invitation to this meeting expired. Go back and join again.',
    };
  }
  return {
    kind: 'server-unreachable',
    title: "Can't reach the meeting server",
    message: 'The team server answered but its media server did not. Check your network (a firewall may block WebRTC) and try again.',
  };
}

/** Joined, but the camera or microphone from pre-join could not be sent to the others. */
export function publishProblem(err: unknown): Problem {
  const detail = err instanceof Error ? err.message : String(err);
  return {
    kind: 'unknown',
    title: "Others can't see or hear you yet",
    message: `Your camera or microphone could not be sent to the meeting (${detail}). Turn it off and on again in the controls below.`,
  };
}

/** Shown while Parley joins a dropped call again by itself (state/app.svelte.ts#rejoinAfterDrop). */
export const REJOINING: Problem = {
  kind: 'rejoining',
  title: 'Getting you back into the meeting',
  message: 'The connection to the meeting dropped. Parley is joining again, with your camera and microphone as you had them.',
};

/** null when the person simply left. */
export function endProblem(reason: EndReason): Problem | null {
  switch (reason) {
    case 'left':
      return null;
    case 'removed':
      return { kind: 'removed', title: 'A host removed you from the meeting', message: 'You can rejoin only if a host lets you back in.' };
    case 'ended':
      return { kind: 'ended', title: 'The meeting has ended', message: 'A host ended the meeting for everyone.' };
    case 'duplicate':
      return {
        kind: 'duplicate',
        title: 'You joined from somewhere else',
        message: 'This window left because the same account joined this room from another window or device.',
      };
    case 'server-shutdown':
      return {
        kind: 'connection-lost',
        title: 'The server restarted',
        message: 'The meeting service went down for a moment. Rejoin to continue.',
      };
    case 'connection-lost':
      return {
        kind: 'connection-lost',
        title: 'You lost the connection',
        message: "Parley couldn't get the call back. Check your network and rejoin.",
      };
  }
}
