import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers on every response, including 404s and static files (a root hook).
 * @fastify/helmet calls `helmet(options)` on every request, which re-parses and re-validates the
 * whole Content-Security-Policy each time (~7 % of the team server's CPU under load); the headers do
 * not depend on the request, so the middleware is built once here and only applied per request.
 */
export function securityHeaders(app: Pick<FastifyInstance, 'addHook'>, options: HelmetOptions): void {
  const apply = helmet(options);
  app.addHook('onRequest', (req, reply, done) => {
    apply(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
}
