import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateInviteRequest,
  Invite,
  RegisterRequest,
  SessionResponse,
  UpdateUserRequest,
  User,
  UserList,
  UserParams,
} from '@contracts/api';
import { principalOf } from '../auth/guard';
import { hashPassword } from '../auth/passwords';
import type { AppContext } from '../context';
import { publicUser } from '../db/users';
import { HttpError, isUniqueViolation, notFound } from '../http-errors';
import { randomId, randomSecret, sha256 } from '../lib/crypto';
import { errorResponses, secretRouteLimit } from './common';

export function userRoutes(ctx: AppContext, authPerMinute: number): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/me',
      { config: { auth: 'user' }, schema: { summary: 'The signed-in user', response: { 200: User, ...errorResponses } } },
      async (req) => publicUser(principalOf(req).user),
    );

    app.post(
      '/api/v1/invites',
      {
        config: { auth: 'admin' },
        schema: { summary: 'Create a one-time invite code', body: CreateInviteRequest, response: { 201: Invite, ...errorResponses } },
      },
      async (req, reply) => {
        const code = `inv_${randomSecret(18)}`;
        const now = Date.now();
        const expiresAt = now + req.body.expiresInHours * 3_600_000;
        ctx.invites.insert({ codeHash: sha256(code), role: req.body.role, createdBy: principalOf(req).user.id, now, expiresAt });
        return reply.code(201).send({ code, role: req.body.role, expiresAt: new Date(expiresAt).toISOString() });
      },
    );

    app.post(
      '/api/v1/users',
      {
        config: { auth: 'public', ...secretRouteLimit(authPerMinute) },
        schema: { summary: 'Register with an invite code', body: RegisterRequest, response: { 201: SessionResponse, ...errorResponses } },
      },
      async (req, reply) => {
        const codeHash = sha256(req.body.inviteCode);
        if (!ctx.invites.usable(codeHash, Date.now())) throw new HttpError('INVITE_INVALID', 'the invite code is unknown, used or expired');
        const passwordHash = await hashPassword(req.body.password);
        // User, invite use and first session in one transaction: all or nothing.
        const session = ctx.db.transaction(() => {
          const now = Date.now();
          const role = ctx.invites.usable(codeHash, now);
          if (!role) throw new HttpError('INVITE_INVALID', 'the invite code is unknown, used or expired');
          const id = randomId();
          try {
            ctx.auth.users.insert({ id, username: req.body.username, displayName: req.body.displayName, passwordHash, role, now });
          } catch (err) {
            if (isUniqueViolation(err)) throw new HttpError('USERNAME_TAKEN', 'that username is taken');
            throw err;
          }
          if (!ctx.invites.consume(codeHash, id, now)) throw new HttpError('INVITE_INVALID', 'the invite code is unknown, used or expired');
          return ctx.auth.createSession(ctx.auth.users.byId(id)!, now);
        })();
        req.log.info({ userId: session.user.id, username: session.user.username }, 'user registered');
        return reply.code(201).send(session);
      },
    );

    app.get(
      '/api/v1/users',
      { config: { auth: 'admin' }, schema: { summary: 'List users', response: { 200: UserList, ...errorResponses } } },
      async () => ({
        users: ctx.auth.users.list().map(publicUser),
      }),
    );

    app.patch(
      '/api/v1/users/:userId',
      {
        config: { auth: 'admin' },
        schema: {
          summary: 'Change a role or disable/enable a user',
          params: UserParams,
          body: UpdateUserRequest,
          response: { 200: User, ...errorResponses },
        },
      },
      async (req) => {
        const target = ctx.auth.users.byId(req.params.userId);
        if (!target) throw notFound('user');
        const { role, disabled } = req.body;
        const now = Date.now();
        ctx.db.transaction(() => {
          ctx.auth.users.update(target.id, { role, disabled });
          // Checked after the change, inside the transaction: the team always keeps an enabled admin.
          if (ctx.auth.users.countActiveAdmins() === 0) throw new HttpError('LAST_ADMIN', 'the team needs at least one enabled admin');
          if (disabled) ctx.auth.sessions.revokeAllOf(target.id, now);
        })();
        if (disabled) {
          ctx.bus.closeUser(target.id);
          // Out of any meeting too; best effort (the SFU may be down), the tokens are short-lived anyway.
          ctx.livekit
            .removeUserEverywhere(target.id)
            .catch((err: unknown) => req.log.warn({ err, userId: target.id }, 'could not remove a disabled user from rooms'));
        }
        req.log.info({ userId: target.id, role, disabled, by: principalOf(req).user.id }, 'user changed');
        return publicUser(ctx.auth.users.byId(target.id)!);
      },
    );
  };
}
