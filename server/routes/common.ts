import { z } from 'zod';
import { ErrorBody } from '@contracts/api';

/** Error responses every route documents (the error handler sends this shape for all of them). */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/** For POSTs that take no input: no body (fastify passes null), or {}, and no unknown fields. */
export const EmptyBody = z.strictObject({}).nullish();

/** Tighter per-IP limits for routes that check secrets (passwords, codes). */
export function secretRouteLimit(perMinute: number) {
  return { rateLimit: { max: perMinute, timeWindow: '1 minute' } };
}
