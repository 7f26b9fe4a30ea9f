import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AccessToken } from 'livekit-server-sdk';
import { z } from 'zod';
import type { LivekitTarget } from './index';

export interface AppOptions {
  livekit: LivekitTarget;
  webClientDir: string;
  devJoin: boolean;
  logLevel: string;
}

const devJoinBody = z.strictObject({
  room: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  name: z.string().trim().min(1).max(64),
});

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: opts.logLevel }, bodyLimit: 64 * 1024 });

  app.get('/healthz', async () => ({ ok: true }));

  if (opts.devJoin) {
    // Walking skeleton only: mints a token without sign-in. Replaced by the team server's join flow.
    app.post('/api/v1/dev/join', async (req, reply) => {
      const parsed = devJoinBody.safeParse(req.body);
      if (!parsed.success) {
        return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: parsed.error.issues[0]?.message ?? 'bad body' } });
      }
      const identity = `${parsed.data.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
      const at = new AccessToken(opts.livekit.apiKey, opts.livekit.apiSecret, { identity, name: parsed.data.name, ttl: '10m' });
      at.addGrant({ room: parsed.data.room, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
      return { url: opts.livekit.url, token: await at.toJwt(), identity };
    });
  }

  if (existsSync(opts.webClientDir)) {
    await app.register(fastifyStatic, { root: opts.webClientDir, index: 'index.html' });
  }
  return app;
}
