import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { clientErrorHandler, frameworkErrors } from '@oms/platform/http';
import type { ReadCache } from '../application/catalog/read-cache';
import type { RateLimitCounters } from '../application/operations/rate-limit-counters';
import type { OrderServiceConfig } from '../config';
import type { RouteContext } from './context';
import dashboard from './dashboard/plugin';
import { withRedactedUrls } from './log-redaction';
import apiDocs from './plugins/api-docs';
import authentication from './plugins/authentication';
import cacheStats from './plugins/cache-stats';
import metricsPlugin, { type HttpMetrics } from './plugins/metrics';
import problems from './plugins/problems';
import rateLimits from './plugins/rate-limits';
import securityHeaders from './plugins/security-headers';
import adminOpsRoutes from './routes/admin-ops';
import adminUserRoutes from './routes/admin-users';
import adminOrderRoutes from './routes/admin-orders';
import adminProductRoutes from './routes/admin-products';
import authRoutes from './routes/auth';
import healthRoutes from './routes/health';
import orderStreamRoutes from './routes/order-stream';
import orderRoutes from './routes/orders';
import productRoutes from './routes/products';

/** What the routes and plugins are built from: use cases' ports and settings, made by the composition root. */
export interface ApiDeps {
  ctx: RouteContext;
  metrics: HttpMetrics;
  cache: ReadCache;
  /** Kept in the store, so every replica counts against the same quota. */
  rateLimitCounters: RateLimitCounters;
}

export const BODY_LIMIT_BYTES = 64 * 1024;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Honour a caller's x-request-id when it is sane, so one id follows a request across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** A bare fastify with the service's server settings; routes come from registerApi. */
export function createServer(config: OrderServiceConfig, logger: FastifyServerOptions['logger'] = false): FastifyInstance {
  const app = Fastify({
    logger: withRedactedUrls(logger),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: requestId,
    frameworkErrors,
    clientErrorHandler,
    // request.ip (which the per-address limits count) comes from X-Forwarded-For only via these
    // proxies. A hop count trusts the nearest N hops whatever their address (fastify itself turns a
    // bare number into "trust none"), so it fits only a service reachable through its proxies alone.
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  return app;
}

/** Cross-cutting plugins first: several act on routes as they are added (onRoute). */
async function registerPlugins(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { config } = deps.ctx;
  await app.register(problems);
  await app.register(securityHeaders, { production: config.NODE_ENV === 'production' });
  await app.register(cookie);
  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      exposedHeaders: ['x-request-id', 'idempotent-replayed', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
    });
  }
  await app.register(metricsPlugin, { metrics: deps.metrics });
  await app.register(cacheStats, { cache: deps.cache });
  await app.register(authentication, { tokens: deps.ctx.tokens });
  // Both act on routes as they are added (onRoute), so they come before every route.
  // Before every route: the docs collect routes as they are added, and scopes inherit only hooks added before them.
  await app.register(rateLimits, { counters: deps.rateLimitCounters });
  await app.register(apiDocs);
}

/** The production API and the dashboard on a server from createServer. The app starts and stops the order feed. */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { ctx } = deps;
  app.addHook('onReady', () => ctx.orderFeed.start());
  app.addHook('onClose', () => ctx.orderFeed.stop());
  await registerPlugins(app, deps);
  await app.register(healthRoutes, { ...ctx, prefix: '/api/health' });
  await app.register(authRoutes, { ...ctx, prefix: '/api/auth' });
  await app.register(productRoutes, { ...ctx, prefix: '/api/products' });
  await app.register(adminProductRoutes, { ...ctx, prefix: '/api/admin/products' });
  await app.register(orderRoutes, { ...ctx, prefix: '/api/orders' });
  // Its own plugin: the stream authenticates itself (EventSource cannot send an Authorization header).
  await app.register(orderStreamRoutes, { ...ctx, prefix: '/api/orders' });
  await app.register(adminOrderRoutes, { ...ctx, prefix: '/api/admin/orders' });
  await app.register(adminOpsRoutes, { ...ctx, prefix: '/api/admin' });
  await app.register(adminUserRoutes, { ...ctx, prefix: '/api/admin/users' });
  await app.register(dashboard);
}
