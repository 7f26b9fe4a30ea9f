import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health, Readiness } from '@contracts/api';
import type { AppContext } from '../context';
import { HttpError } from '../http-errors';
import { safeEqual } from '../lib/crypto';
import { scalar } from '../db/statements';

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      { config: { auth: 'public', rateLimit: false }, schema: { summary: 'Liveness', response: { 200: Health } } },
      async () => ({ ok: true }),
    );

    app.get(
      '/readyz',
      {
        config: { auth: 'public', rateLimit: false },
        schema: { summary: 'Readiness: database and SFU', response: { 200: Readiness, 503: Readiness } },
      },
      async (_req, reply) => {
        let database: boolean;
        try {
          database = scalar(ctx.db, 'SELECT 1') === 1;
        } catch {
          database = false;
        }
        const sfu = await ctx.livekit.ping();
        const ok = database && sfu;
        return reply.code(ok ? 200 : 503).send({ ok, checks: { database, sfu } });
      },
    );

    app.get('/metrics', { config: { auth: 'public', rateLimit: false }, schema: { hide: true } }, async (req, reply) => {
      const token = ctx.settings.metricsToken;
      if (token && !safeEqual(req.headers.authorization ?? '', `Bearer ${token}`))
        throw new HttpError('UNAUTHORIZED', 'metrics need the metrics token');
      ctx.metrics.lobbyWaiting.set(ctx.lobby.size);
      return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    });
  };
}
