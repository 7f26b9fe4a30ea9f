import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { cleanText, ROUTES } from '@contracts/api';
import type { ClientInfo } from '../auth/auth-service';
import { principalOf } from '../auth/guard';
import { hashPassword } from '../auth/passwords';
import { normalizeSetupCode } from '../auth/setup-code';
import { LoginThrottle } from '../auth/throttle';
import { SETUP_CODE_KEY, type AppContext } from '../context';
import { HttpError, notFound } from '../http-errors';
import { randomId, safeEqual } from '../lib/crypto';
import { register, secretRouteLimit } from './common';

/** What the session list shows of the device signing in: its own description and its address. */
export function clientInfo(req: FastifyRequest): ClientInfo {
  return { client: cleanText(req.headers['user-agent'] ?? '').slice(0, 200), address: req.ip };
}

/**
 * The throttle of (username, this address): refuses while a wait is due, and otherwise runs check,
 * counting a failure when it returns undefined.
 */
async function throttled<T>(
  ctx: AppContext,
  username: string,
  req: FastifyRequest,
  check: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const key = LoginThrottle.key(username, req.ip);
  const wait = await ctx.loginFailures.retryAfter(key);
  if (wait > 0) {
    ctx.metrics.logins.inc({ outcome: 'throttled' });
    throw new HttpError('RATE_LIMITED', `too many failed attempts from here; retry in ${wait} s`);
  }
  const result = await check();
  if (result === undefined) await ctx.loginFailures.fail(key);
  else await ctx.loginFailures.succeed(key);
  return result;
}

export function sessionRoutes(ctx: AppContext, authPerMinute: number): FastifyPluginAsyncZod {
  return async (app) => {
    register(
      app,
      ROUTES.setup,
      async (req) => {
        // The code is in the database, so whichever instance the balancer picks knows it.
        const code = await ctx.settingsStore.get(SETUP_CODE_KEY);
        if ((await ctx.auth.users.count()) > 0 || !code) throw new HttpError('SETUP_DONE', 'setup is already done');
        if (!safeEqual(normalizeSetupCode(req.body.code), normalizeSetupCode(code)))
          throw new HttpError('SETUP_CODE_INVALID', 'wrong setup code');
        const passwordHash = await hashPassword(req.body.password);
        const session = await ctx.db.transaction(async () => {
          // Re-checked inside the transaction: two setup calls racing must not make two admins.
          if ((await ctx.auth.users.count()) > 0) throw new HttpError('SETUP_DONE', 'setup is already done');
          const id = randomId();
          const now = Date.now();
          await ctx.auth.users.insert({
            id,
            username: req.body.username,
            displayName: req.body.displayName,
            passwordHash,
            role: 'admin',
            now,
          });
          await ctx.settingsStore.delete(SETUP_CODE_KEY);
          return ctx.auth.createSession((await ctx.auth.users.byId(id))!, now, clientInfo(req));
        });
        req.log.info({ userId: session.user.id, username: session.user.username }, 'setup done: first admin created');
        return session;
      },
      secretRouteLimit(authPerMinute),
    );

    register(
      app,
      ROUTES.login,
      async (req) => {
        const { username, password } = req.body;
        const user = await throttled(ctx, username, req, () => ctx.auth.checkPassword(username, password));
        if (!user) {
          ctx.metrics.logins.inc({ outcome: 'failed' });
          req.log.info({ username, address: req.ip }, 'sign-in failed');
          // One message whichever part was wrong (or the account is disabled).
          throw new HttpError('INVALID_CREDENTIALS', 'wrong username or password');
        }
        ctx.metrics.logins.inc({ outcome: 'ok' });
        return ctx.auth.createSession(user, Date.now(), clientInfo(req));
      },
      secretRouteLimit(authPerMinute),
    );

    register(app, ROUTES.logout, async (req) => {
      const { session } = principalOf(req);
      await ctx.auth.sessions.revoke(session.id, Date.now());
      await ctx.bus.closeSession(session.id);
      return null;
    });

    register(app, ROUTES.listSessions, async (req) => {
      const { user, session } = principalOf(req);
      const iso = (ms: number) => new Date(ms).toISOString();
      return {
        sessions: (await ctx.auth.sessions.listOf(user.id, Date.now())).map((s) => ({
          id: s.id,
          client: s.client,
          address: s.address,
          createdAt: iso(s.createdAt),
          lastUsedAt: iso(s.lastUsedAt),
          expiresAt: iso(s.expiresAt),
          current: s.id === session.id,
        })),
      };
    });

    register(app, ROUTES.revokeSession, async (req) => {
      const { user } = principalOf(req);
      // Only one's own: someone else's session id answers exactly like an unknown one.
      if (!(await ctx.auth.sessions.revokeOf(user.id, req.params.sessionId, Date.now()))) throw notFound('session');
      await ctx.bus.closeSession(req.params.sessionId);
      req.log.info({ userId: user.id, session: req.params.sessionId }, 'session revoked by its user');
      return null;
    });

    register(
      app,
      ROUTES.changePassword,
      async (req) => {
        const { user, session } = principalOf(req);
        const ok = await throttled(ctx, user.username, req, async () =>
          (await ctx.auth.checkPassword(user.username, req.body.currentPassword)) ? true : undefined,
        );
        if (!ok) throw new HttpError('WRONG_PASSWORD', 'the current password is not right');
        const passwordHash = await hashPassword(req.body.newPassword);
        const now = Date.now();
        // A changed password is how someone locks out whoever learned the old one: every other
        // device signs in again; this one stays signed in.
        const revoked = await ctx.db.transaction(async () => {
          await ctx.auth.users.setPassword(user.id, passwordHash);
          return ctx.auth.sessions.revokeOthers(user.id, session.id, now);
        });
        for (const id of revoked) await ctx.bus.closeSession(id);
        req.log.info({ userId: user.id, signedOut: revoked.length }, 'password changed');
        return null;
      },
      secretRouteLimit(authPerMinute),
    );
  };
}
