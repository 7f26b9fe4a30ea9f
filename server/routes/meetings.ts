import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeetingList, MeetingQuery } from '@contracts/api';
import type { AppContext } from '../context';
import { errorResponses } from './common';

export function meetingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/meetings',
      {
        config: { auth: 'user' },
        schema: { summary: 'Meeting history, newest first', querystring: MeetingQuery, response: { 200: MeetingList, ...errorResponses } },
      },
      async (req) => ({
        meetings: ctx.meetings.list({
          room: req.query.room,
          limit: req.query.limit,
          before: req.query.before ? Date.parse(req.query.before) : undefined,
        }),
      }),
    );
  };
}
