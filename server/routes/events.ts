import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES, type ServerEvent } from '@contracts/api';
import { principalOf } from '../auth/guard';
import type { AppContext } from '../context';
import { HttpError } from '../http-errors';
import { register } from './common';

const HEARTBEAT_MS = 15_000;

/** GET /api/v1/events: Server-Sent Events for the signed-in user, until sign-out or disable. */
export function eventRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    register(
      app,
      ROUTES.events,
      async (req, reply) => {
        const { user, session } = principalOf(req);
        // Each stream holds a socket and a subscriber for as long as the client likes: capped per
        // token and per user, so one account cannot hold the server's connections.
        const open = ctx.bus.countOf(session.id, user.id);
        const { streamsPerSession, streamsPerUser } = ctx.settings.limits;
        if (open.session >= streamsPerSession || open.user >= streamsPerUser)
          throw new HttpError(
            'RATE_LIMITED',
            `too many open event streams (at most ${streamsPerSession} per sign-in, ${streamsPerUser} per user)`,
          );
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          // Headers hooks already set on the reply (CORS) are not sent for a hijacked reply otherwise.
          ...(reply.getHeaders() as OutgoingHttpHeaders),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          // Reverse proxies (nginx) would otherwise buffer the stream.
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
        });
        const write = (event: ServerEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        let closed = false;
        const close = () => {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          unsubscribe();
          ctx.metrics.eventStreams.set(ctx.bus.size);
          res.end();
        };
        const unsubscribe = ctx.bus.subscribe({ userId: user.id, sessionId: session.id, send: write, close });
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
        req.raw.once('close', close);
        ctx.metrics.eventStreams.set(ctx.bus.size);
        write({ type: 'ready', userId: user.id });
        return reply;
      },
      { rateLimit: false },
    );
  };
}
