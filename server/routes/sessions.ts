import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginRequest, SessionResponse, SetupRequest } from '@contracts/api';
import { principalOf } from '../auth/guard';
import { hashPassword } from '../auth/passwords';
import { normalizeSetupCode } from '../auth/setup-code';
import type { AppContext } from '../context';
import { HttpError } from '../http-errors';
import { randomId, safeEqual } from '../lib/crypto';
import { errorResponses, secretRouteLimit } from './common';

export function sessionRoutes(ctx: AppContext, authPerMinute: number): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/setup',
      {
        config: { auth: 'public', ...secretRouteLimit(authPerMinute) },
        schema: {
          summary: 'Create the first admin with the one-time setup code',
          body: SetupRequest,
          response: { 201: SessionResponse, ...errorResponses },
        },
      },
      async (req, reply) => {
        if (ctx.auth.users.count() > 0 || !ctx.setup.code) throw new HttpError('SETUP_DONE', 'setup is already done');
        if (!safeEqual(normalizeSetupCode(req.body.code), normalizeSetupCode(ctx.setup.code)))
          throw new HttpError('SETUP_CODE_INVALID', 'wrong setup code');
        const passwordHash = await hashPassword(req.body.password);
        const session = ctx.db.transaction(() => {
          // Re-checked inside the transaction: two setup calls racing must not make two admins.
          if (ctx.auth.users.count() > 0) throw new HttpError('SETUP_DONE', 'setup is already done');
          const id = randomId();
          ctx.auth.users.insert({
            id,
            username: req.body.username,
            displayName: req.body.displayName,
            passwordHash,
            role: 'admin',
            now: Date.now(),
          });
          return ctx.auth.createSession(ctx.auth.users.byId(id)!);
        })();
        ctx.setup.code = undefined;
        req.log.info({ userId: session.user.id, username: session.user.username }, 'setup done: first admin created');
        return reply.code(201).send(session);
      },
    );

    app.post(
      '/api/v1/sessions',
      {
        config: { auth: 'public', ...secretRouteLimit(authPerMinute) },
        schema: { summary: 'Sign in', body: LoginRequest, response: { 201: SessionResponse, ...errorResponses } },
      },
      async (req, reply) => {
        const { username, password } = req.body;
        if (ctx.loginFailures.blocked(username)) {
          ctx.metrics.logins.inc({ outcome: 'throttled' });
          throw new HttpError('RATE_LIMITED', `too many failed sign-ins; retry in ${ctx.loginFailures.retryAfter(username)} s`);
        }
        const user = await ctx.auth.checkPassword(username, password);
        if (!user) {
          ctx.loginFailures.hit(username);
          ctx.metrics.logins.inc({ outcome: 'failed' });
          req.log.info({ username }, 'sign-in failed');
          // One message whichever part was wrong (or the account is disabled).
          throw new HttpError('INVALID_CREDENTIALS', 'wrong username or password');
        }
        ctx.loginFailures.reset(username);
        ctx.metrics.logins.inc({ outcome: 'ok' });
        return reply.code(201).send(ctx.auth.createSession(user));
      },
    );

    app.delete(
      '/api/v1/sessions/current',
      { config: { auth: 'user' }, schema: { summary: 'Sign out', response: { 204: z.null(), ...errorResponses } } },
      async (req, reply) => {
        const { session } = principalOf(req);
        ctx.auth.sessions.revoke(session.id, Date.now());
        ctx.bus.closeSession(session.id);
        return reply.code(204).send(null);
      },
    );
  };
}
