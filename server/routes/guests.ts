import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateGuestLinkRequest,
  GuestJoinRequest,
  GuestJoinResponse,
  GuestLink,
  LobbyList,
  LobbyParams,
  RoomParams,
  TicketParams,
  TicketQuery,
  TicketStatus,
} from '@contracts/api';
import { principalOf } from '../auth/guard';
import { hostIds, type AppContext } from '../context';
import { HttpError } from '../http-errors';
import { guestAdmission, roomHostedBy } from '../rooms/room-service';
import { EmptyBody, errorResponses, secretRouteLimit } from './common';

export function guestRoutes(ctx: AppContext, authPerMinute: number): FastifyPluginAsyncZod {
  const notifyHosts = (room: string, event: Parameters<AppContext['bus']['toAll']>[0]) =>
    ctx.bus.toUsers(hostIds(ctx.auth, ctx.rooms, room), event);

  return async (app) => {
    app.post(
      '/api/v1/rooms/:room/guest-links',
      {
        config: { auth: 'user' },
        schema: {
          summary: 'A signed, expiring guest link (hosts)',
          params: RoomParams,
          body: CreateGuestLinkRequest,
          response: { 201: GuestLink, ...errorResponses },
        },
      },
      async (req, reply) => {
        const room = roomHostedBy(ctx, principalOf(req), req.params.room);
        if (!room.options.allowGuests) throw new HttpError('GUESTS_NOT_ALLOWED', 'turn on allowGuests for this room first');
        const expiresAt = Date.now() + req.body.expiresInMinutes * 60_000;
        const code = ctx.guestLinks.sign(room.name, expiresAt);
        return reply
          .code(201)
          .send({ url: `${ctx.settings.publicUrl}/#/guest/${code}`, code, room: room.name, expiresAt: new Date(expiresAt).toISOString() });
      },
    );

    app.post(
      '/api/v1/guest/join',
      {
        config: { auth: 'public', ...secretRouteLimit(authPerMinute) },
        schema: {
          summary: 'Join as a guest with a guest-link code',
          body: GuestJoinRequest,
          response: { 200: GuestJoinResponse, ...errorResponses },
        },
      },
      async (req) => {
        const name = ctx.guestLinks.verify(req.body.code);
        const room = name ? ctx.rooms.get(name) : undefined;
        if (!room) throw new HttpError('GUEST_LINK_INVALID', 'the guest link is invalid or expired');
        if (!room.options.allowGuests) throw new HttpError('GUESTS_NOT_ALLOWED', 'this room does not take guests');
        if (room.options.locked) throw new HttpError('ROOM_LOCKED', 'the room is locked');
        if (!room.options.lobby) return guestAdmission(ctx, room, req.body.displayName);
        const added = ctx.lobby.add(room.name, req.body.displayName);
        if (!added) throw new HttpError('RATE_LIMITED', 'too many guests are waiting; try again later');
        ctx.metrics.lobbyWaiting.set(ctx.lobby.size);
        notifyHosts(room.name, { type: 'lobby.waiting', room: room.name, entry: added.entry });
        req.log.info({ room: room.name, entry: added.entry.id }, 'guest waiting in lobby');
        return { status: 'waiting' as const, ticket: added.ticket, room: room.name, roomTitle: room.title };
      },
    );

    app.get(
      '/api/v1/guest/tickets/:ticket',
      {
        config: { auth: 'public' },
        schema: {
          summary: 'Long poll: wait for a host to admit or deny',
          params: TicketParams,
          querystring: TicketQuery,
          response: { 200: TicketStatus, ...errorResponses },
        },
      },
      async (req) => {
        const first = ctx.lobby.byTicket(req.params.ticket);
        if (!first) throw new HttpError('TICKET_INVALID', 'unknown or expired ticket');
        if (first.status === 'waiting') {
          const gone = new AbortController();
          req.raw.once('close', () => gone.abort());
          await ctx.lobby.waitForDecision(first.id, req.query.wait * 1000, gone.signal);
        }
        const entry = ctx.lobby.byTicket(req.params.ticket);
        if (!entry) throw new HttpError('TICKET_INVALID', 'unknown or expired ticket');
        if (entry.status === 'waiting') return { status: 'waiting' as const };
        if (entry.status !== 'admitted') {
          ctx.lobby.forget(entry.id);
          return { status: 'denied' as const };
        }
        // The token is minted now, not at admission, so it is fresh however late the guest asks;
        // the room is re-read so a lock or a deletion since admission still wins.
        const room = ctx.rooms.get(entry.room);
        if (!room) {
          ctx.lobby.forget(entry.id);
          return { status: 'denied' as const };
        }
        const admitted = await guestAdmission(ctx, room, entry.displayName, entry.id);
        ctx.lobby.forget(entry.id);
        return admitted;
      },
    );

    app.get(
      '/api/v1/rooms/:room/lobby',
      {
        config: { auth: 'user' },
        schema: { summary: 'Guests waiting (hosts)', params: RoomParams, response: { 200: LobbyList, ...errorResponses } },
      },
      async (req) => ({ waiting: ctx.lobby.waiting(roomHostedBy(ctx, principalOf(req), req.params.room).name) }),
    );

    for (const [action, outcome] of [
      ['admit', 'admitted'],
      ['deny', 'denied'],
    ] as const) {
      app.post(
        `/api/v1/rooms/:room/lobby/:ticket/${action}`,
        {
          config: { auth: 'user' },
          schema: {
            summary: `${action === 'admit' ? 'Admit' : 'Deny'} a waiting guest (hosts)`,
            params: LobbyParams,
            body: EmptyBody,
            response: { 204: z.null(), ...errorResponses },
          },
        },
        async (req, reply) => {
          const room = roomHostedBy(ctx, principalOf(req), req.params.room);
          if (outcome === 'admitted' && room.options.locked) throw new HttpError('ROOM_LOCKED', 'unlock the room to admit guests');
          if (!ctx.lobby.decide(room.name, req.params.ticket, outcome))
            throw new HttpError('TICKET_INVALID', 'nobody with that id is waiting here');
          ctx.metrics.lobbyWaiting.set(ctx.lobby.size);
          notifyHosts(room.name, { type: 'lobby.resolved', room: room.name, id: req.params.ticket, outcome });
          req.log.info({ room: room.name, entry: req.params.ticket, outcome, by: principalOf(req).user.id }, 'lobby decision');
          return reply.code(204).send(null);
        },
      );
    }
  };
}
