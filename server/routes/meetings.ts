import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES } from '@contracts/api';
import type { AppContext } from '../context';
import { register } from './common';

export function meetingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    register(app, ROUTES.listMeetings, async (req) => ({
      meetings: await ctx.meetings.list({
        room: req.query.room,
        limit: req.query.limit,
        before: req.query.before ? Date.parse(req.query.before) : undefined,
      }),
    }));
  };
}
