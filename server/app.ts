import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '@contracts/api';
import { assertRouteGuarded, authHook } from './auth/guard';
import type { AppContext } from './context';
import { webClientCsp } from './web-client-csp';
import { HttpError } from './http-errors';
import { eventRoutes } from './routes/events';
import { guestRoutes } from './routes/guests';
import { healthRoutes } from './routes/health';
import { hostRoutes } from './routes/host';
import { meetingRoutes } from './routes/meetings';
import { recordingRoutes } from './routes/recordings';
import { roomRoutes } from './routes/rooms';
import { serverInfoRoutes } from './routes/server-info';
import { sessionRoutes } from './routes/sessions';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhook';
import { securityHeaders } from './security-headers';

export interface AppOptions {
  /** Per-IP limit for routes that check a secret (sign-in, setup, register, guest join); default 30/min. */
  authRateLimitPerMinute?: number;
}

export type TeamApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

const BODY_LIMIT = 64 * 1024;

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

const body = (code: ErrorCode, message: string): ErrorBody => ({ error: { code, message } });

/** The HTTP app, built apart from listen() so tests and embedders can inject or listen as they like. */
export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<TeamApp> {
  const authPerMinute = opts.authRateLimitPerMinute ?? 30;
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: trustedProxies(ctx.settings.trustProxy),
    // Long polls hold requests for up to 30 s; anything slower than this is stuck.
    requestTimeout: 60_000,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // Malformed URLs (bad %-encoding, over-long params) never reach a route: answer them in our shape.
    frameworkErrors: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      void (reply as unknown as FastifyReply)
        .code(status)
        .send(body('BAD_REQUEST', status === 414 ? 'URL path segment too long' : 'malformed URL'));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', assertRouteGuarded);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof HttpError) {
      if (err.status >= 500) req.log.warn({ err, cause: err.cause }, err.message);
      return reply.code(err.status).send(body(err.code, err.message));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0];
      const path = (issue?.instancePath ?? '').split('/').filter(Boolean).join('.');
      const where = `${err.validationContext ?? 'request'}${path ? `.${path}` : ''}`;
      return reply.code(400).send(body('BAD_REQUEST', `${where}: ${issue?.message ?? 'invalid'}`));
    }
    if (!isResponseSerializationError(err) && err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own 4xx (bad JSON, empty body, wrong content type, too large): safe to echo.
      return reply.code(err.statusCode).send(body(STATUS_CODES[err.statusCode] ?? 'BAD_REQUEST', err.message));
    }
    // Everything else is our bug: log it all, tell the client nothing.
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(body('INTERNAL', 'internal error'));
  });

  securityHeaders(app, {
    contentSecurityPolicy: { useDefaults: false, directives: webClientCsp(ctx.livekit.clientUrls) },
    // The web client loads LiveKit's workers and media; COEP would block cross-origin media it needs.
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cors, corsOptions(ctx.settings.corsOrigins ?? []));
  await app.register(rateLimit, {
    max: ctx.settings.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Several instances count each address together in Redis, so a client cannot multiply its
    // allowance by the number of instances; if Redis fails, requests pass rather than fail.
    ...(ctx.shared ? { redis: ctx.shared.cmd, nameSpace: `${ctx.shared.prefix}rate:`, skipOnError: true } : {}),
    errorResponseBuilder: (_req, c) => new HttpError('RATE_LIMITED', `too many requests; retry in ${Math.ceil(c.ttl / 1000)} s`),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Parley team server', version: ctx.settings.version },
      components: { securitySchemes: { session: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', authHook(ctx));
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(healthRoutes(ctx));
  await app.register(serverInfoRoutes(ctx));
  await app.register(sessionRoutes(ctx, authPerMinute));
  await app.register(userRoutes(ctx, authPerMinute));
  await app.register(roomRoutes(ctx));
  await app.register(hostRoutes(ctx));
  await app.register(guestRoutes(ctx, authPerMinute));
  await app.register(meetingRoutes(ctx));
  await app.register(recordingRoutes(ctx));
  await app.register(eventRoutes(ctx));
  await app.register(webhookRoutes(ctx));

  const webDir = ctx.settings.webClientDir;
  const hasWebClient = !!webDir && existsSync(join(webDir, 'index.html'));
  if (hasWebClient) {
    await app.register(fastifyStatic, {
      root: webDir,
      index: 'index.html',
      wildcard: false,
      // The build writes x.br and x.gz beside each text asset (scripts/web-client-build.ts); the
      // variant is picked by Accept-Encoding, with Vary: accept-encoding on every answer.
      preCompressed: true,
      cacheControl: false,
      setHeaders: cacheHeaders,
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const api = path.startsWith('/api/') || path.startsWith('/livekit/');
    // `/` itself too: with preCompressed, @fastify/static finds no index variant when none was built.
    if (!api && hasWebClient && req.method === 'GET' && (path === '/' || (req.headers.accept ?? '').includes('text/html'))) {
      // Client-side routes (e.g. /#/guest/... opened as /guest) get the app shell.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send(body('NOT_FOUND', `no route ${req.method} ${path}`));
  });

  return app;
}

/** The desktop app's pages (parley://app) call the team server from their own origin. */
export const DESKTOP_ORIGINS = ['parley://app'] as const;

/**
 * CORS for exactly the desktop app and the origins an operator lists; any other origin gets no
 * Access-Control-* header, so a browser keeps it out. Bearer tokens, no cookies: no credentials.
 */
function corsOptions(extra: readonly string[]) {
  const allowed = new Set<string>([...DESKTOP_ORIGINS, ...extra]);
  return {
    origin: (origin: string | undefined, done: (err: Error | null, allow: boolean) => void) => done(null, !!origin && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'accept'],
    credentials: false,
    maxAge: 600,
  };
}

/**
 * Fastify's trustProxy from the setting: a list of proxy addresses as it is; a hop count as "the
 * nearest n hops" (the same rule Fastify applies to a number, which its types do not take).
 */
function trustedProxies(setting: false | number | string[]): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** Hashed asset names never change content: cache forever; the shell must always be revalidated. */
function cacheHeaders(reply: FastifyReply, path: string): void {
  reply.header('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}
