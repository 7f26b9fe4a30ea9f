import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES } from '@contracts/api';
import { principalOf } from '../auth/guard';
import type { AppContext } from '../context';
import { forbidden } from '../http-errors';
import { getRoom, isHost, roomHostedBy } from '../rooms/room-service';
import { register } from './common';

/** Recording: hosts start and stop it; every member lists and downloads what was recorded. */
export function recordingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    register(app, ROUTES.roomRecording, async (req) => ({
      active: await ctx.recordings.active((await getRoom(ctx, req.params.room)).name),
    }));

    register(app, ROUTES.startRecording, async (req) => {
      const principal = principalOf(req);
      return ctx.recordings.start(principal, await roomHostedBy(ctx, principal, req.params.room));
    });

    register(app, ROUTES.stopRecording, async (req) => {
      const principal = principalOf(req);
      return ctx.recordings.stop(principal, await roomHostedBy(ctx, principal, req.params.room));
    });

    register(app, ROUTES.listRecordings, async (req) => ({
      recordings: await ctx.recordings.list({
        room: req.query.room,
        limit: req.query.limit,
        before: req.query.before ? Date.parse(req.query.before) : undefined,
      }),
    }));

    register(app, ROUTES.recordingDownload, async (req) => ctx.recordings.download(req.params.recordingId));

    register(app, ROUTES.recordingFile, async (req, reply) => {
      const file = await ctx.recordings.file(req.params.recordingId, req.query.expires, req.query.sig);
      return reply
        .type('video/mp4')
        .header('content-length', file.size)
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('cache-control', 'private, no-store')
        .send(file.stream);
    });

    register(app, ROUTES.deleteRecording, async (req) => {
      const { user } = principalOf(req);
      await ctx.recordings.remove(req.params.recordingId, async (room) => {
        const r = await ctx.rooms.get(room);
        // A deleted room's recordings are the admins' to remove.
        if (r ? isHost(user, r) : user.role === 'admin') return true;
        throw forbidden('hosts of this room only');
      });
      return null;
    });
  };
}
