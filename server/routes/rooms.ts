import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES } from '@contracts/api';
import { principalOf } from '../auth/guard';
import type { AppContext } from '../context';
import { createRoom, getRoom, memberJoin, roomHostedBy, toApiRoom, updateRoom } from '../rooms/room-service';
import { register } from './common';

export function roomRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    register(app, ROUTES.listRooms, async (req) => {
      const { user } = principalOf(req);
      // One page, one query; "who is in" comes from the SFU's webhooks (Presence), not from one SFU
      // call per open room, so the listing costs the same however many meetings run.
      const { limit, after } = req.query;
      const page = await ctx.rooms.page(limit + 1, after);
      const more = page.length > limit;
      const shown = more ? page.slice(0, limit) : page;
      const present = await ctx.presence.participantsOf(shown.map((r) => r.name));
      const rooms = shown.map((r) => toApiRoom(r, user, present.get(r.name) ?? []));
      return { rooms, next: more ? (rooms.at(-1)?.name ?? null) : null };
    });

    register(app, ROUTES.createRoom, async (req) => {
      const { user } = principalOf(req);
      const room = await createRoom(ctx, user, req.body);
      req.log.info({ room: room.name, owner: user.id }, 'room created');
      return toApiRoom(room, user, []);
    });

    register(app, ROUTES.getRoom, async (req) => {
      const room = await getRoom(ctx, req.params.room);
      return toApiRoom(room, principalOf(req).user, await ctx.livekit.participants(room.name));
    });

    register(app, ROUTES.updateRoom, async (req) => {
      const principal = principalOf(req);
      const room = await updateRoom(ctx, await roomHostedBy(ctx, principal, req.params.room), req.body);
      return toApiRoom(room, principal.user, await ctx.livekit.participants(room.name));
    });

    register(app, ROUTES.deleteRoom, async (req) => {
      const room = await roomHostedBy(ctx, principalOf(req), req.params.room);
      await ctx.rooms.delete(room.name);
      await ctx.lobby.denyAll(room.name);
      await ctx.livekit
        .endRoom(room.name)
        .catch((err: unknown) => req.log.warn({ err, room: room.name }, 'could not end the deleted room’s meeting'));
      req.log.info({ room: room.name, by: principalOf(req).user.id }, 'room deleted');
      return null;
    });

    register(app, ROUTES.joinRoom, async (req) => memberJoin(ctx, principalOf(req), await getRoom(ctx, req.params.room), req.body?.device));
  };
}
