import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ServerInfo, type Feature } from '@contracts/api';
import type { AppContext } from '../context';
import { errorResponses } from './common';

export function serverInfoRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/server',
      {
        config: { auth: 'public' },
        schema: { summary: 'What this server is and offers', response: { 200: ServerInfo, ...errorResponses } },
      },
      async () => {
        const features: Feature[] = ['guests', 'lobby', 'e2ee', 'meeting-history', 'events'];
        return {
          name: ctx.settings.serverName,
          version: ctx.settings.version,
          livekitUrl: ctx.livekit.publicUrl,
          setupDone: ctx.auth.users.count() > 0,
          features,
        };
      },
    );

    app.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  };
}
