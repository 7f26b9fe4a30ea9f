import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context';
import { HttpError } from '../http-errors';
import { handleWebhook } from '../webhook/webhook-handler';

/**
 * POST /livekit/webhook. The signature covers the exact bytes, so this scope reads the body as a
 * string instead of JSON. WebhookReceiver checks the JWT in the Authorization header and the body's
 * SHA-256 in it: unsigned or tampered bodies never reach the handler.
 */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      ['application/webhook+json', 'application/json'],
      { parseAs: 'string', bodyLimit: 256 * 1024 },
      (_req, body, done) => done(null, body),
    );

    app.post('/livekit/webhook', { config: { auth: 'public', rateLimit: false }, schema: { hide: true } }, async (req, reply) => {
      if (typeof req.body !== 'string') throw new HttpError('BAD_REQUEST', 'expected a webhook body');
      let event;
      try {
        event = await ctx.livekit.webhooks.receive(req.body, req.headers.authorization);
      } catch {
        ctx.metrics.webhooks.inc({ event: 'unknown', outcome: 'rejected' });
        req.log.warn('webhook rejected: bad signature or body');
        throw new HttpError('UNAUTHORIZED', 'webhook signature invalid');
      }
      await handleWebhook(ctx, event);
      ctx.metrics.webhooks.inc({ event: event.event || 'unknown', outcome: 'ok' });
      return reply.code(204).send();
    });
  };
}
