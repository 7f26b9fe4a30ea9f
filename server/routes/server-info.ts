import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTES, type Feature } from '@contracts/api';
import type { AppContext } from '../context';
import { register } from './common';

export function serverInfoRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    register(app, ROUTES.server, async () => {
      const features: Feature[] = ['guests', 'lobby', 'e2ee', 'meeting-history', 'events', 'recording'];
      return {
        name: ctx.settings.serverName,
        version: ctx.settings.version,
        livekitUrl: ctx.livekit.publicUrl,
        setupDone: (await ctx.auth.users.count()) > 0,
        features,
        ...(ctx.settings.updateFeedUrl ? { updateFeed: ctx.settings.updateFeedUrl } : {}),
      };
    });

    app.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  };
}
