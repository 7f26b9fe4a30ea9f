import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES } from '@contracts/api';
import { principalOf } from '../auth/guard';
import { hostIds, type AppContext } from '../context';
import { HttpError, notFound } from '../http-errors';
import { randomId, randomSecret, sha256 } from '../lib/crypto';
import { guestAdmission, roomHostedBy } from '../rooms/room-service';
import { register, secretRouteLimit } from './common';

const invalidLink = () => new HttpError('GUEST_LINK_INVALID', 'the guest link is invalid, used up, revoked or expired');

/** A guest-link code: `<link id>.<secret>`; only the secret's hash is stored. */
function parseCode(code: string): { id: string; secretHash: string } | undefined {
  const [id, secret, extra] = code.split('.');
  if (!id || !secret || extra !== undefined) return undefined;
  return { id, secretHash: sha256(secret) };
}

export function guestRoutes(ctx: AppContext, authPerMinute: number): FastifyPluginAsyncZod {
  const notifyHosts = async (room: string, event: Parameters<AppContext['bus']['toAll']>[0]) =>
    ctx.bus.toUsers(await hostIds(ctx.auth, ctx.rooms, room), event);

  return async (app) => {
    register(app, ROUTES.createGuestLink, async (req) => {
      const principal = principalOf(req);
      const room = await roomHostedBy(ctx, principal, req.params.room);
      if (!room.options.allowGuests) throw new HttpError('GUESTS_NOT_ALLOWED', 'turn on allowGuests for this room first');
      const id = randomId();
      const secret = randomSecret();
      const now = Date.now();
      const link = await ctx.guestLinks.insert({
        id,
        room: room.name,
        secretHash: sha256(secret),
        label: req.body.label ?? '',
        createdBy: principal.user.id,
        now,
        expiresAt: now + req.body.expiresInMinutes * 60_000,
        maxUses: req.body.maxUses,
      });
      const code = `${id}.${secret}`;
      req.log.info({ room: room.name, link: id, by: principal.user.id, maxUses: link.maxUses }, 'guest link created');
      return { ...link, code, url: `${ctx.settings.publicUrl}/#/guest/${code}` };
    });

    register(app, ROUTES.listGuestLinks, async (req) => {
      const room = await roomHostedBy(ctx, principalOf(req), req.params.room);
      return { links: await ctx.guestLinks.active(room.name, Date.now()) };
    });

    register(app, ROUTES.revokeGuestLink, async (req) => {
      const room = await roomHostedBy(ctx, principalOf(req), req.params.room);
      if (!(await ctx.guestLinks.revoke(room.name, req.params.linkId, Date.now()))) throw notFound('guest link');
      req.log.info({ room: room.name, link: req.params.linkId, by: principalOf(req).user.id }, 'guest link revoked');
      return null;
    });

    register(
      app,
      ROUTES.guestJoin,
      async (req) => {
        const parsed = parseCode(req.body.code);
        const now = Date.now();
        const name = parsed && (await ctx.guestLinks.peek(parsed.id, parsed.secretHash, now));
        const room = name ? await ctx.rooms.get(name) : undefined;
        if (!parsed || !room) throw invalidLink();
        if (!room.options.allowGuests) throw new HttpError('GUESTS_NOT_ALLOWED', 'this room does not take guests');
        if (room.options.locked) throw new HttpError('ROOM_LOCKED', 'the room is locked');
        // A use is spent only by a request that would get in or wait: a locked room costs nothing.
        if (!(await ctx.guestLinks.spend(parsed.id, parsed.secretHash, now))) throw invalidLink();
        if (!room.options.lobby) return guestAdmission(ctx, room, req.body.displayName);
        const added = await ctx.lobby.add(room.name, req.body.displayName);
        if (!added) throw new HttpError('RATE_LIMITED', 'too many guests are waiting; try again later');
        ctx.metrics.lobbyWaiting.set(await ctx.lobby.count());
        await notifyHosts(room.name, { type: 'lobby.waiting', room: room.name, entry: added.entry });
        req.log.info({ room: room.name, entry: added.entry.id, link: parsed.id }, 'guest waiting in lobby');
        return { status: 'waiting' as const, ticket: added.ticket, room: room.name, roomTitle: room.title };
      },
      secretRouteLimit(authPerMinute),
    );

    register(app, ROUTES.guestTicket, async (req) => {
      const first = await ctx.lobby.byTicket(req.params.ticket);
      if (!first) throw new HttpError('TICKET_INVALID', 'unknown or expired ticket');
      if (first.status === 'waiting') {
        const gone = new AbortController();
        req.raw.once('close', () => gone.abort());
        await ctx.lobby.waitForDecision(first.id, req.query.wait * 1000, gone.signal);
      }
      const entry = await ctx.lobby.byTicket(req.params.ticket);
      if (!entry) throw new HttpError('TICKET_INVALID', 'unknown or expired ticket');
      if (entry.status === 'waiting') return { status: 'waiting' as const };
      if (entry.status !== 'admitted') {
        await ctx.lobby.forget(entry.id);
        return { status: 'denied' as const };
      }
      // The token is minted now, not at admission, so it is fresh however late the guest asks;
      // the room is re-read so a lock or a deletion since admission still wins.
      const room = await ctx.rooms.get(entry.room);
      if (!room) {
        await ctx.lobby.forget(entry.id);
        return { status: 'denied' as const };
      }
      const admitted = await guestAdmission(ctx, room, entry.displayName, entry.id);
      await ctx.lobby.forget(entry.id);
      return admitted;
    });

    register(app, ROUTES.listLobby, async (req) => ({
      waiting: await ctx.lobby.waiting((await roomHostedBy(ctx, principalOf(req), req.params.room)).name),
    }));

    for (const [spec, outcome] of [
      [ROUTES.admitGuest, 'admitted'],
      [ROUTES.denyGuest, 'denied'],
    ] as const) {
      register(app, spec, async (req) => {
        const room = await roomHostedBy(ctx, principalOf(req), req.params.room);
        if (outcome === 'admitted' && room.options.locked) throw new HttpError('ROOM_LOCKED', 'unlock the room to admit guests');
        if (!(await ctx.lobby.decide(room.name, req.params.ticket, outcome)))
          throw new HttpError('TICKET_INVALID', 'nobody with that id is waiting here');
        ctx.metrics.lobbyWaiting.set(await ctx.lobby.count());
        await notifyHosts(room.name, { type: 'lobby.resolved', room: room.name, id: req.params.ticket, outcome });
        req.log.info({ room: room.name, entry: req.params.ticket, outcome, by: principalOf(req).user.id }, 'lobby decision');
        return null;
      });
    }
  };
}
