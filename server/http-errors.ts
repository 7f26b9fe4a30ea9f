import type { ErrorCode } from '@contracts/api';

/** The HTTP status each error code is sent with. */
const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  WRONG_PASSWORD: 403,
  LIMIT_REACHED: 403,
  SETUP_CODE_INVALID: 403,
  INVITE_INVALID: 403,
  GUEST_LINK_INVALID: 403,
  GUESTS_NOT_ALLOWED: 403,
  ROOM_LOCKED: 403,
  ROOM_FULL: 403,
  NOT_FOUND: 404,
  TICKET_INVALID: 404,
  PARTICIPANT_NOT_FOUND: 404,
  TRACK_NOT_FOUND: 404,
  CONFLICT: 409,
  SETUP_DONE: 409,
  USERNAME_TAKEN: 409,
  ROOM_EXISTS: 409,
  LAST_ADMIN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SFU_UNAVAILABLE: 503,
  RECORDING_ACTIVE: 409,
  RECORDING_NOT_ALLOWED: 403,
  NOT_RECORDING: 409,
  NO_MEETING: 409,
  LINK_EXPIRED: 403,
  RECORDING_DISK_FULL: 507,
  INTERNAL: 500,
};

/** An error a client may see, with the HTTP status its code maps to: its code and message are sent as they are. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const unauthorized = () => new HttpError('UNAUTHORIZED', 'sign in first');
export const forbidden = (why = 'not allowed') => new HttpError('FORBIDDEN', why);
export const notFound = (what: string) => new HttpError('NOT_FOUND', `${what} not found`);

/** A unique/primary-key violation (SQLite's codes, or PostgreSQL's 23505), which callers turn into a 409. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code === '23505' || code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY'))
  );
}
