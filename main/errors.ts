import type { BridgeErrorInfo, ErrorCode } from '@contracts/desktop';

/** An error with a code the renderer (and tests) can act on. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParleyError';
    this.code = code;
  }
}

/** Turns anything thrown into what crosses the bridge; unexpected errors keep their details in main. */
export function toBridgeError(error: unknown): BridgeErrorInfo {
  if (error instanceof ParleyError) return { code: error.code, message: error.message.slice(0, 500) };
  return { code: 'INTERNAL', message: 'Something went wrong in the desktop app.' };
}
