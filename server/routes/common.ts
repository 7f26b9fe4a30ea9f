import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { z } from 'zod';
import { ErrorBody, type RouteRequest, type RouteSpec } from '@contracts/api';

/** Error responses every route documents (the error handler sends this shape for all of them). */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/** Tighter per-IP limits for routes that check secrets (passwords, codes). */
export function secretRouteLimit(perMinute: number) {
  return { rateLimit: { max: perMinute, timeWindow: '1 minute' } };
}

/** A handler of one route of the table: typed by the route's own schemas. */
export type RouteHandler<R extends RouteSpec> = (
  req: FastifyRequest & RouteRequest<R>,
  reply: FastifyReply,
) => Promise<(R['status'] extends 204 ? null | void : z.input<R['response']>) | FastifyReply>;

/**
 * Registers route `spec` of contracts/api.ts's ROUTES: method, path, auth level, schemas and the
 * success status all come from the table, so the server and the client cannot disagree. `config`
 * adds what only the server cares about (rate limits).
 */
export function register<R extends RouteSpec>(
  app: Pick<FastifyInstance, 'route'>,
  spec: R,
  handler: RouteHandler<R>,
  config: Omit<FastifyContextConfig, 'auth'> = {},
): void {
  app.route({
    method: spec.method,
    url: spec.path,
    // No automatic HEAD twins: the API answers JSON, and a HEAD of the event stream or the guest
    // long poll would hold a connection open for nothing.
    exposeHeadRoute: false,
    config: { ...config, auth: spec.auth },
    schema: {
      summary: spec.summary,
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      response: { [spec.status]: spec.response, ...spec.extraResponses, ...errorResponses },
    },
    handler: (async (req: FastifyRequest, reply: FastifyReply) => {
      reply.code(spec.status);
      const out = await handler(req as FastifyRequest & RouteRequest<R>, reply);
      if (reply.sent || out === reply) return reply;
      return out ?? null;
    }) as RouteHandlerMethod,
  });
}
