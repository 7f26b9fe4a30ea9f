import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DevJoinRequest, DevJoinResponse, ServerInfo, type Feature } from '../api/contract';
import type { AppContext } from '../context';
import { randomId } from '../lib/crypto';
import { errorResponses } from './common';

export function serverInfoRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/server', { config: { auth: 'public' }, schema: { summary: 'What this server is and offers', response: { 200: ServerInfo, ...errorResponses } } }, async () => {
      const features: Feature[] = ['guests', 'lobby', 'e2ee', 'meeting-history', 'events'];
      if (ctx.settings.devJoin) features.push('dev-join');
      return {
        name: ctx.settings.serverName,
        version: ctx.settings.version,
        livekitUrl: ctx.livekit.publicUrl,
        setupDone: ctx.auth.users.count() > 0,
        features,
      };
    });

    app.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

    if (ctx.settings.devJoin) {
      // Walking skeleton only, never enabled from env/config: mints a token without sign-in.
      app.post(
        '/api/v1/dev/join',
        { config: { auth: 'public' }, schema: { hide: true, body: DevJoinRequest, response: { 200: DevJoinResponse, ...errorResponses } } },
        async (req) => {
          const identity = `dev:${randomId(6)}`;
          const token = await ctx.livekit.token({ room: req.body.room, identity, displayName: req.body.name, role: 'member' });
          return { url: ctx.livekit.publicUrl, token, identity };
        },
      );
    }
  };
}
