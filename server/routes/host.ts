import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MuteRequest, ParticipantParams, Room, RoomParams } from '@contracts/api';
import { principalOf } from '../auth/guard';
import type { AppContext } from '../context';
import { hostIds } from '../context';
import { roomHostedBy, toApiRoom, updateRoom } from '../rooms/room-service';
import { EmptyBody, errorResponses } from './common';

/** Host controls: every route here is for the hosts of that room (owner and admins) only. */
export function hostRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/rooms/:room/participants/:identity/mute',
      {
        config: { auth: 'user' },
        schema: {
          summary: "Mute a participant's track",
          params: ParticipantParams,
          body: MuteRequest,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const room = roomHostedBy(ctx, principalOf(req), req.params.room);
        await ctx.livekit.mute(room.name, req.params.identity, req.body.source);
        req.log.info(
          { room: room.name, identity: req.params.identity, source: req.body.source, by: principalOf(req).user.id },
          'participant muted',
        );
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/api/v1/rooms/:room/participants/:identity',
      {
        config: { auth: 'user' },
        schema: { summary: 'Remove a participant', params: ParticipantParams, response: { 204: z.null(), ...errorResponses } },
      },
      async (req, reply) => {
        const room = roomHostedBy(ctx, principalOf(req), req.params.room);
        await ctx.livekit.remove(room.name, req.params.identity);
        req.log.info({ room: room.name, identity: req.params.identity, by: principalOf(req).user.id }, 'participant removed');
        return reply.code(204).send(null);
      },
    );

    for (const [action, locked] of [
      ['lock', true],
      ['unlock', false],
    ] as const) {
      app.post(
        `/api/v1/rooms/:room/${action}`,
        {
          config: { auth: 'user' },
          schema: {
            summary: locked ? 'Admit nobody new' : 'Admit newcomers again',
            params: RoomParams,
            body: EmptyBody,
            response: { 200: Room, ...errorResponses },
          },
        },
        async (req) => {
          const principal = principalOf(req);
          const room = updateRoom(ctx, roomHostedBy(ctx, principal, req.params.room), { options: { locked } });
          return toApiRoom(room, principal.user, await ctx.livekit.participants(room.name));
        },
      );
    }

    app.post(
      '/api/v1/rooms/:room/end',
      {
        config: { auth: 'user' },
        schema: {
          summary: 'End the meeting for everyone',
          params: RoomParams,
          body: EmptyBody,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const room = roomHostedBy(ctx, principalOf(req), req.params.room);
        for (const entry of ctx.lobby.denyAll(room.name)) {
          ctx.bus.toUsers(hostIds(ctx.auth, ctx.rooms, room.name), {
            type: 'lobby.resolved',
            room: room.name,
            id: entry.id,
            outcome: 'denied',
          });
        }
        await ctx.livekit.endRoom(room.name);
        req.log.info({ room: room.name, by: principalOf(req).user.id }, 'meeting ended');
        return reply.code(204).send(null);
      },
    );
  };
}
