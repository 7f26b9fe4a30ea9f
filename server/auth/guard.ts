import type { AuthLevel } from '@contracts/api';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AppContext } from '../context';
import { HttpError, unauthorized } from '../http-errors';
import { bearerToken, type Principal } from './auth-service';

/**
 * Who may call a route (contracts/api.ts's AuthLevel), declared on every /api and /livekit route
 * (`config: { auth }`, from the route table); a route without it fails at startup, so no route can
 * ship unguarded by accident. Per-room rights (host of this room) are checked in the handlers.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthLevel;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export function assertRouteGuarded(route: RouteOptions): void {
  const url = route.url;
  const guarded = url.startsWith('/api/') || url.startsWith('/livekit/');
  const level = (route.config as { auth?: AuthLevel } | undefined)?.auth;
  if (guarded && !level) throw new Error(`route ${route.method.toString()} ${url} declares no auth level`);
}

/** onRequest: runs before the body is read, so an anonymous caller never gets as far as parsing. */
export function authHook(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const level = req.routeOptions.config.auth ?? 'public';
    const token = bearerToken(req.headers.authorization);
    req.principal = token ? await ctx.auth.authenticate(token) : undefined;
    if (level === 'public') return;
    if (!req.principal) throw unauthorized();
    if (level === 'admin' && req.principal.user.role !== 'admin') throw new HttpError('FORBIDDEN', 'admins only');
  };
}

/** The signed-in principal of a 'user' or 'admin' route. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}
