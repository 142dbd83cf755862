import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { AccessTokens } from '../app/access-tokens';
import type { OrderServiceStore } from '../app/ports';
import type { OrderServiceConfig } from '../config';
import type { RouteContext } from './context';
import authentication from './plugins/authentication';
import problems from './plugins/problems';
import adminProductRoutes from './routes/admin-products';
import authRoutes from './routes/auth';
import healthRoutes from './routes/health';
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
}

export const BODY_LIMIT_BYTES = 64 * 1024;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Honour a caller's x-request-id when it is sane, so one id follows a request across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store } = deps;
  const now = deps.clock ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: requestId,
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
  const ctx: RouteContext = {
    config,
    store,
    tokens,
    now,
    onOrderPlaced: deps.onOrderPlaced ?? (() => {}),
    queueReady: deps.queueReady ?? (async () => {}),
  };

  await app.register(problems);
  await app.register(cookie);
  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, { origin: config.CORS_ORIGINS, credentials: true, exposedHeaders: ['x-request-id', 'idempotent-replayed'] });
  }
  await app.register(authentication, { tokens });

  await app.register(healthRoutes, { ...ctx, prefix: '/api/health' });
  await app.register(authRoutes, { ...ctx, prefix: '/api/auth' });
  await app.register(productRoutes, { ...ctx, prefix: '/api/products' });
  await app.register(adminProductRoutes, { ...ctx, prefix: '/api/admin/products' });
  await app.register(orderRoutes, { ...ctx, prefix: '/api/orders' });
  return app;
}
