import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { ROUTES } from '@contracts/api';
import type { AppContext } from '../context';
import { HttpError } from '../http-errors';
import { safeEqual } from '../lib/crypto';
import { register } from './common';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * A caller on this machine, talking to us directly: the socket's peer is loopback and no proxy
 * forwarded the request (a reverse proxy on the same host also connects from loopback, but says
 * whom it forwards for). The socket, not req.ip: trusted proxy headers must not make a remote
 * caller look local.
 */
export function isDirectLoopback(req: FastifyRequest): boolean {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return LOOPBACK.test(peer) && !forwarded;
}

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    register(app, ROUTES.healthz, async () => ({ ok: true }), { rateLimit: false });
    register(
      app,
      ROUTES.readyz,
      async (_req, reply) => {
        const [database, sfu] = await Promise.all([ctx.db.ping(), ctx.livekit.ping()]);
        const ok = database && sfu;
        return reply.code(ok ? 200 : 503).send({ ok, checks: { database, sfu } });
      },
      { rateLimit: false },
    );

    // Metrics tell who uses the server and how much: with METRICS_TOKEN they need it; without,
    // only a scraper on this machine talking to us directly gets them.
    app.get('/metrics', { config: { auth: 'public', rateLimit: false }, schema: { hide: true } }, async (req, reply) => {
      const token = ctx.settings.metricsToken;
      if (token) {
        if (!safeEqual(req.headers.authorization ?? '', `Bearer ${token}`))
          throw new HttpError('UNAUTHORIZED', 'metrics need the metrics token');
      } else if (!isDirectLoopback(req)) {
        throw new HttpError('FORBIDDEN', 'metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere');
      }
      ctx.metrics.lobbyWaiting.set(await ctx.lobby.count().catch(() => 0));
      return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    });
  };
}
