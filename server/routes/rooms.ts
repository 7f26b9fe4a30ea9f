import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateRoomRequest, JoinRequest, JoinResponse, Room, RoomList, RoomParams, UpdateRoomRequest } from '@contracts/api';
import { principalOf } from '../auth/guard';
import type { AppContext } from '../context';
import { createRoom, getRoom, memberJoin, roomHostedBy, toApiRoom, updateRoom } from '../rooms/room-service';
import { errorResponses } from './common';

export function roomRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/rooms',
      {
        config: { auth: 'user' },
        schema: { summary: "The team's rooms, with who is in each now", response: { 200: RoomList, ...errorResponses } },
      },
      async (req) => {
        const { user } = principalOf(req);
        // The rooms are ours; only "who is in" comes from the SFU. If it is down, list the rooms anyway.
        const live = await ctx.livekit.participantsByRoom().catch((err: unknown) => {
          req.log.warn({ err }, 'room listing without participants: SFU unavailable');
          return new Map<string, never[]>();
        });
        return { rooms: ctx.rooms.list().map((r) => toApiRoom(r, user, live.get(r.name) ?? [])) };
      },
    );

    app.post(
      '/api/v1/rooms',
      {
        config: { auth: 'user' },
        schema: { summary: 'Create a room (the caller owns it)', body: CreateRoomRequest, response: { 201: Room, ...errorResponses } },
      },
      async (req, reply) => {
        const { user } = principalOf(req);
        const room = createRoom(ctx, user, req.body);
        req.log.info({ room: room.name, owner: user.id }, 'room created');
        return reply.code(201).send(toApiRoom(room, user, []));
      },
    );

    app.get(
      '/api/v1/rooms/:room',
      { config: { auth: 'user' }, schema: { summary: 'One room', params: RoomParams, response: { 200: Room, ...errorResponses } } },
      async (req) => {
        const room = getRoom(ctx, req.params.room);
        return toApiRoom(room, principalOf(req).user, await ctx.livekit.participants(room.name));
      },
    );

    app.patch(
      '/api/v1/rooms/:room',
      {
        config: { auth: 'user' },
        schema: {
          summary: 'Change title or options (hosts)',
          params: RoomParams,
          body: UpdateRoomRequest,
          response: { 200: Room, ...errorResponses },
        },
      },
      async (req) => {
        const principal = principalOf(req);
        const room = updateRoom(ctx, roomHostedBy(ctx, principal, req.params.room), req.body);
        return toApiRoom(room, principal.user, await ctx.livekit.participants(room.name));
      },
    );

    app.delete(
      '/api/v1/rooms/:room',
      {
        config: { auth: 'user' },
        schema: {
          summary: 'Delete a room and end its meeting (hosts)',
          params: RoomParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const room = roomHostedBy(ctx, principalOf(req), req.params.room);
        ctx.rooms.delete(room.name);
        ctx.lobby.denyAll(room.name);
        await ctx.livekit
          .endRoom(room.name)
          .catch((err: unknown) => req.log.warn({ err, room: room.name }, 'could not end the deleted room’s meeting'));
        req.log.info({ room: room.name, by: principalOf(req).user.id }, 'room deleted');
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/rooms/:room/join',
      {
        config: { auth: 'user' },
        schema: {
          summary: 'A join token (hosts get roomAdmin for this room)',
          params: RoomParams,
          body: JoinRequest.nullish(),
          response: { 200: JoinResponse, ...errorResponses },
        },
      },
      async (req) => memberJoin(ctx, principalOf(req), getRoom(ctx, req.params.room), req.body?.device),
    );
  };
}
