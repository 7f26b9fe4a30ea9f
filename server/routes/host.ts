import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES } from '@contracts/api';
import { principalOf } from '../auth/guard';
import type { AppContext } from '../context';
import { hostIds } from '../context';
import { roomHostedBy, toApiRoom, updateRoom } from '../rooms/room-service';
import { register } from './common';

/** Host controls: every route here is for the hosts of that room (owner and admins) only. */
export function hostRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    register(app, ROUTES.muteParticipant, async (req) => {
      const room = await roomHostedBy(ctx, principalOf(req), req.params.room);
      await ctx.livekit.mute(room.name, req.params.identity, req.body.source);
      req.log.info(
        { room: room.name, identity: req.params.identity, source: req.body.source, by: principalOf(req).user.id },
        'participant muted',
      );
      return null;
    });

    register(app, ROUTES.removeParticipant, async (req) => {
      const room = await roomHostedBy(ctx, principalOf(req), req.params.room);
      await ctx.livekit.remove(room.name, req.params.identity);
      req.log.info({ room: room.name, identity: req.params.identity, by: principalOf(req).user.id }, 'participant removed');
      return null;
    });

    for (const [spec, locked] of [
      [ROUTES.lockRoom, true],
      [ROUTES.unlockRoom, false],
    ] as const) {
      register(app, spec, async (req) => {
        const principal = principalOf(req);
        const room = await updateRoom(ctx, await roomHostedBy(ctx, principal, req.params.room), { options: { locked } });
        return toApiRoom(room, principal.user, await ctx.livekit.participants(room.name));
      });
    }

    register(app, ROUTES.endMeeting, async (req) => {
      const room = await roomHostedBy(ctx, principalOf(req), req.params.room);
      const hosts = await hostIds(ctx.auth, ctx.rooms, room.name);
      for (const entry of await ctx.lobby.denyAll(room.name)) {
        await ctx.bus.toUsers(hosts, {
          type: 'lobby.resolved',
          room: room.name,
          id: entry.id,
          outcome: 'denied',
        });
      }
      await ctx.livekit.endRoom(room.name);
      req.log.info({ room: room.name, by: principalOf(req).user.id }, 'meeting ended');
      return null;
    });
  };
}
