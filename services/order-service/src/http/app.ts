import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { NewOutboxMessage } from '@oms/outbox';
import { clientErrorHandler, frameworkErrors } from '@oms/platform/http';
import { AccessTokens } from '../app/access-tokens';
import { LoadRuns } from '../app/load-runs';
import { withCatalogCache } from '../app/catalog-cache';
import { OrderFeed, withFeedNudges } from '../app/order-feed';
import type { OrderServiceStore } from '../app/ports';
import { RelayLag, type QueueAdmin } from '../app/queue-monitor';
import { ReadCache } from '../app/read-cache';
import type { OrderServiceConfig } from '../config';
import { createOrderServiceMetrics, withStoreMetrics } from '../infra/metrics';
import type { RouteContext } from './context';
import dashboard from './dashboard/plugin';
import { withRedactedUrls } from './log-redaction';
import apiDocs from './plugins/api-docs';
import authentication from './plugins/authentication';
import cacheStats from './plugins/cache-stats';
import metricsPlugin from './plugins/metrics';
import problems from './plugins/problems';
import rateLimits from './plugins/rate-limits';
import securityHeaders from './plugins/security-headers';
import adminLoadRunRoutes from './routes/admin-load-runs';
import adminOpsRoutes from './routes/admin-ops';
import adminUserRoutes from './routes/admin-users';
import benchNaiveOrderRoutes from './routes/bench-naive-orders';
import adminOrderRoutes from './routes/admin-orders';
import adminProductRoutes from './routes/admin-products';
import authRoutes from './routes/auth';
import healthRoutes from './routes/health';
import orderStreamRoutes from './routes/order-stream';
import orderRoutes from './routes/orders';
import productRoutes from './routes/products';

export interface AppDeps {
  config: OrderServiceConfig;
  store: OrderServiceStore;
  clock?: () => Date;
  /** Relay nudge, called after each committed order. */
  onOrderPlaced?: () => void;
  /** Readiness probe of the queue broker; absent = not checked. */
  queueReady?: () => Promise<void>;
  /** pino options (or false for silence, as in tests). */
  logger?: FastifyServerOptions['logger'];
  /** This replica's tail of the order change feed (main.ts shares it with load runs); default: a new one. The app starts and stops it. */
  orderFeed?: OrderFeed;
  /** Queue monitor and DLQ redrive; absent = no broker (the queue list is empty). */
  queueAdmin?: QueueAdmin;
  /** Fed by the outbox relay; default: a tracker nothing feeds. */
  relayLag?: RelayLag;
  /** Load runs (main.ts wires them to the status consumer and the queues); default: runs with no queues to purge. */
  loadRuns?: LoadRuns;
  /** Sends an event straight to its queue; only for the BENCH_NAIVE_PUBLISH baseline route. */
  publishInline?: (message: NewOutboxMessage) => Promise<void>;
}

export const BODY_LIMIT_BYTES = 64 * 1024;
/** Hot reads (product list/get) are served from memory for this long unless a write drops them first. */
export const READ_CACHE_TTL_MS = 30_000;
const READ_CACHE_MAX_ENTRIES = 10_000;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Honour a caller's x-request-id when it is sane, so one id follows a request across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Events read per feed query: a busy second's worth on this kind of machine. */
const FEED_BATCH = 500;

export function createOrderFeed(store: OrderServiceStore, config: OrderServiceConfig, onError: (err: unknown, what: string) => void): OrderFeed {
  return new OrderFeed(store, {
    pollMs: config.ORDER_FEED_POLL_MS,
    batch: FEED_BATCH,
    retentionMs: config.ORDER_EVENTS_RETENTION_HOURS * 3_600_000,
    onError,
  });
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const now = deps.clock ?? (() => new Date());
  const app = Fastify({
    logger: withRedactedUrls(deps.logger ?? false),
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

  const tokens = new AccessTokens({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSec: config.ACCESS_TOKEN_TTL_SEC,
    now,
  });
  const cache = new ReadCache({ ttlMs: READ_CACHE_TTL_MS, max: READ_CACHE_MAX_ENTRIES });
  const metrics = createOrderServiceMetrics({ outbox: deps.store, cache: () => cache.stats() });
  const orderFeed = deps.orderFeed ?? createOrderFeed(deps.store, config, (err, what) => app.log.error({ err }, what));
  app.addHook('onReady', () => orderFeed.start());
  app.addHook('onClose', () => orderFeed.stop());
  const store = withFeedNudges(withCatalogCache(withStoreMetrics(deps.store, metrics), cache), orderFeed);
  const ctx: RouteContext = {
    config,
    store,
    tokens,
    now,
    onOrderPlaced: deps.onOrderPlaced ?? (() => {}),
    queueReady: deps.queueReady ?? (async () => {}),
    orderFeed,
    queueAdmin: deps.queueAdmin ?? null,
    relayLag: deps.relayLag ?? new RelayLag(),
  };

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
  await app.register(metricsPlugin, { metrics });
  await app.register(cacheStats, { cache });
  await app.register(authentication, { tokens });
  // Both act on routes as they are added (onRoute), so they come before every route.
  await app.register(rateLimits, {
    ordersPerMin: config.RATE_LIMIT_ORDERS_PER_MIN,
    readsPerMin: config.RATE_LIMIT_READS_PER_MIN,
    loginPerAccountPerMin: config.RATE_LIMIT_LOGIN_PER_MIN,
    loginPerIpPerMin: config.RATE_LIMIT_LOGIN_IP_PER_MIN,
    loginSlowdownAfter: config.LOGIN_SLOWDOWN_AFTER,
    registerPerMin: config.RATE_LIMIT_REGISTER_PER_MIN,
    refreshPerMin: config.RATE_LIMIT_REFRESH_PER_MIN,
    counters: deps.store,
  });
  await app.register(apiDocs);

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
  // Load testing writes and wipes data at scale: off in production unless LOAD_TEST_ENDPOINTS=true.
  if (config.LOAD_TEST_ENDPOINTS) {
    const loadRuns =
      deps.loadRuns ??
      new LoadRuns({ store, events: orderFeed, taxRateBps: config.TAX_RATE_BPS, now, nudgeRelay: ctx.onOrderPlaced, purgeQueues: async () => {}, log: app.log });
    await app.register(adminLoadRunRoutes, { ...ctx, loadRuns, prefix: '/api/admin/load-runs' });
  }
  if (config.BENCH_NAIVE_PUBLISH && deps.publishInline) {
    await app.register(benchNaiveOrderRoutes, { ...ctx, publishInline: deps.publishInline, prefix: '/api/bench/orders-naive' });
  }
  await app.register(dashboard);
  return app;
}
