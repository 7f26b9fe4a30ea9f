import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES } from '@contracts/api';
import { principalOf } from '../auth/guard';
import { hashPassword } from '../auth/passwords';
import type { AppContext } from '../context';
import { publicUser } from '../db/users';
import { HttpError, isUniqueViolation, notFound } from '../http-errors';
import { randomId, randomSecret, sha256 } from '../lib/crypto';
import { register, secretRouteLimit } from './common';
import { clientInfo } from './sessions';

export function userRoutes(ctx: AppContext, authPerMinute: number): FastifyPluginAsyncZod {
  return async (app) => {
    register(app, ROUTES.me, async (req) => publicUser(principalOf(req).user));

    register(app, ROUTES.createInvite, async (req) => {
      const code = `inv_${randomSecret(18)}`;
      const id = randomId();
      const now = Date.now();
      const expiresAt = now + req.body.expiresInHours * 3_600_000;
      await ctx.invites.insert({ id, codeHash: sha256(code), role: req.body.role, createdBy: principalOf(req).user.id, now, expiresAt });
      req.log.info({ invite: id, role: req.body.role, by: principalOf(req).user.id }, 'invite created');
      return { id, code, role: req.body.role, expiresAt: new Date(expiresAt).toISOString() };
    });

    register(app, ROUTES.listInvites, async () => ({ invites: await ctx.invites.list(Date.now()) }));

    register(app, ROUTES.revokeInvite, async (req) => {
      if (!(await ctx.invites.revoke(req.params.inviteId, Date.now()))) throw notFound('unused invite');
      req.log.info({ invite: req.params.inviteId, by: principalOf(req).user.id }, 'invite revoked');
      return null;
    });

    register(
      app,
      ROUTES.register,
      async (req) => {
        const codeHash = sha256(req.body.inviteCode);
        if (!(await ctx.invites.usable(codeHash, Date.now())))
          throw new HttpError('INVITE_INVALID', 'the invite code is unknown, used or expired');
        const passwordHash = await hashPassword(req.body.password);
        // User, invite use and first session in one transaction: all or nothing.
        const session = await ctx.db.transaction(async () => {
          const now = Date.now();
          const role = await ctx.invites.usable(codeHash, now);
          if (!role) throw new HttpError('INVITE_INVALID', 'the invite code is unknown, used or expired');
          const id = randomId();
          try {
            await ctx.auth.users.insert({ id, username: req.body.username, displayName: req.body.displayName, passwordHash, role, now });
          } catch (err) {
            if (isUniqueViolation(err)) throw new HttpError('USERNAME_TAKEN', 'that username is taken');
            throw err;
          }
          if (!(await ctx.invites.consume(codeHash, id, now)))
            throw new HttpError('INVITE_INVALID', 'the invite code is unknown, used or expired');
          return ctx.auth.createSession((await ctx.auth.users.byId(id))!, now, clientInfo(req));
        });
        req.log.info({ userId: session.user.id, username: session.user.username }, 'user registered');
        return session;
      },
      secretRouteLimit(authPerMinute),
    );

    register(app, ROUTES.listUsers, async () => ({ users: (await ctx.auth.users.list()).map(publicUser) }));

    register(app, ROUTES.updateUser, async (req) => {
      const target = await ctx.auth.users.byId(req.params.userId);
      if (!target) throw notFound('user');
      const { role, disabled } = req.body;
      const now = Date.now();
      await ctx.db.transaction(async () => {
        await ctx.auth.users.update(target.id, { role, disabled });
        // Checked after the change, inside the transaction: the team always keeps an enabled admin.
        if ((await ctx.auth.users.countActiveAdmins()) === 0)
          throw new HttpError('LAST_ADMIN', 'the team needs at least one enabled admin');
        if (disabled) await ctx.auth.sessions.revokeAllOf(target.id, now);
      });
      if (disabled) {
        await ctx.bus.closeUser(target.id);
        // Out of any meeting too; best effort (the SFU may be down), the tokens are short-lived anyway.
        ctx.livekit
          .removeUserEverywhere(target.id)
          .catch((err: unknown) => req.log.warn({ err, userId: target.id }, 'could not remove a disabled user from rooms'));
      }
      req.log.info({ userId: target.id, role, disabled, by: principalOf(req).user.id }, 'user changed');
      return publicUser((await ctx.auth.users.byId(target.id))!);
    });
  };
}
