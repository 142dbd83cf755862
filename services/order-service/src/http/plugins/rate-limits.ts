import rateLimit, { normalizeIP, type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { backoffDelay, sleep } from '@oms/platform';
import { AppError } from '../../app/errors';
import type { RateLimitCounters } from '../../app/rate-limit-counters';

/** Requests per minute; 0 turns that limit off. */
export interface RateLimitSettings {
  ordersPerMin: number;
  readsPerMin: number;
  /** Login attempts per account from one client address (a hard 429 for that address only). */
  loginPerAccountPerMin: number;
  loginPerIpPerMin: number;
  /** Attempts on one account, from all addresses, after which each further one waits longer. */
  loginSlowdownAfter: number;
  registerPerMin: number;
  refreshPerMin: number;
  /** Where the counters live: the service's database, shared by every replica. */
  counters: RateLimitCounters;
}

interface Limiter {
  name: string;
  check: ReturnType<FastifyInstance['createRateLimit']>;
}

const WINDOW_MS = 60_000;
/** Starting/admin-stopping load runs per admin: each writes or wipes data at scale. */
const LOAD_RUN_CONTROL_PER_MIN = 10;
/** Login slowdown: the first attempt past the allowance waits this long, each further one twice as long, up to the cap. */
const SLOWDOWN_BASE_MS = 250;
const SLOWDOWN_MAX_MS = 8_000;
/** The slowdown counter only counts; it never refuses. */
const UNCAPPED = Number.MAX_SAFE_INTEGER;
const PRUNE_EVERY_MS = 60_000;

/** @fastify/rate-limit's custom store interface over the database counters (one store for every limit: keys carry the limit's name). */
function databaseStore(counters: RateLimitCounters): FastifyRateLimitStoreCtor {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = new Date();
      counters.hitRateLimit(key, timeWindow, now).then(
        ({ count, resetAt }) => callback(null, { current: count, ttl: Math.max(0, resetAt.getTime() - now.getTime()) }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

const userOrIp = (request: FastifyRequest) => (request.principal ? `user:${request.principal.userId}` : `ip:${normalizeIP(request.ip)}`);
const ipOf = (request: FastifyRequest) => normalizeIP(request.ip);
const loginEmail = (request: FastifyRequest) => String((request.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase();
const loginEmailAndIp = (request: FastifyRequest) => `${loginEmail(request)}|${ipOf(request)}`;

/**
 * Quotas (@fastify/rate-limit counters): placing orders, reading orders, changing a password and
 * controlling load runs per user; registration, refresh and login per client address. Which routes
 * get which limit is decided here, from method and path, so the whole policy reads in one place.
 * The check runs as the route's last preHandler, after authentication, so an authenticated caller
 * is counted by token subject, anyone else by IP (request.ip: X-Forwarded-For only through the
 * proxies TRUST_PROXY names).
 *
 * Login is limited per account AND address, so strangers elsewhere cannot use up a user's quota;
 * one account's attempts from all addresses are never refused, only slowed down (doubling delays
 * past `loginSlowdownAfter` a minute), so a spread-out guessing attack cannot lock its owner out.
 *
 * Counters live in the service's database (one upsert per counted request, in the same group
 * commit as the orders of that moment), so the quotas hold whatever the number of replicas.
 * Expired counters are pruned every minute (MongoDB: its TTL index).
 */
const rateLimits: FastifyPluginAsync<RateLimitSettings> = async (app, s) => {
  await app.register(rateLimit, { global: false, store: databaseStore(s.counters) });
  const prune = setInterval(() => {
    void (async () => {
      while ((await s.counters.pruneRateLimits(new Date(), 1000)) === 1000);
    })().catch((err: unknown) => app.log.warn({ err }, 'pruning rate-limit counters failed'));
  }, PRUNE_EVERY_MS);
  prune.unref();
  app.addHook('onClose', async () => clearInterval(prune));

  const limiter = (name: string, perMin: number, key: (request: FastifyRequest) => string): Limiter[] =>
    perMin > 0
      ? [{ name, check: app.createRateLimit({ max: perMin, timeWindow: WINDOW_MS, keyGenerator: (request) => `${name}|${key(request)}` }) }]
      : [];
  const orders = limiter('order placement', s.ordersPerMin, userOrIp);
  const reads = limiter('read', s.readsPerMin, userOrIp);
  const login = [
    ...limiter('login per IP', s.loginPerIpPerMin, ipOf),
    ...limiter('login per account from this address', s.loginPerAccountPerMin, loginEmailAndIp),
  ];
  const passwordChange = limiter('password change', s.loginPerAccountPerMin, userOrIp);
  const register = limiter('registration per IP', s.registerPerMin, ipOf);
  const refresh = limiter('token refresh per IP', s.refreshPerMin, ipOf);
  const loadRunControl = limiter('load-run control', LOAD_RUN_CONTROL_PER_MIN, userOrIp);
  const loginAttempts = app.createRateLimit({ max: UNCAPPED, timeWindow: WINDOW_MS, keyGenerator: (request) => `login attempts|${loginEmail(request)}` });

  const limitsFor = (method: string, url: string): Limiter[] => {
    const path = url.length > 1 ? url.replace(/\/$/, '') : url;
    if (method === 'POST' && (path === '/api/orders' || path === '/api/bench/orders-naive')) return orders;
    if (method === 'POST' && path === '/api/auth/login') return login;
    if (method === 'POST' && path === '/api/auth/password') return passwordChange;
    if (method === 'POST' && path === '/api/auth/register') return register;
    if (method === 'POST' && path === '/api/auth/refresh') return refresh;
    if (method === 'POST' && path.startsWith('/api/admin/load-runs')) return loadRunControl;
    // The SSE stream is one long-lived request; it must not eat the read quota.
    if (method === 'GET' && path === '/api/orders/stream') return [];
    if (method === 'GET' && path.startsWith('/api/orders')) return reads;
    // Admin reads stay unlimited: the dashboard refreshes its ops panel up to every 2 s while
    // orders flow, which a shopper-sized quota would cut off.
    return [];
  };

  /** Waits before a login on an account that many attempts (from anywhere) hit this minute. */
  const slowDown: preHandlerAsyncHookHandler = async (request) => {
    const r = await loginAttempts(request);
    if (r.isAllowed) return;
    const beyond = r.max - r.remaining - s.loginSlowdownAfter;
    if (beyond > 0) await sleep(backoffDelay(beyond, { base: SLOWDOWN_BASE_MS, cap: SLOWDOWN_MAX_MS, jitter: false }));
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = [route.method].flat();
    const limits = [...new Set(methods.flatMap((method) => limitsFor(method, route.url)))];
    const isLogin = methods.includes('POST') && route.url.replace(/\/$/, '') === '/api/auth/login';
    const handlers = [...(limits.length > 0 ? [enforce(limits)] : []), ...(isLogin && s.loginSlowdownAfter > 0 ? [slowDown] : [])];
    if (handlers.length === 0) return;
    const existing = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [...existing, ...handlers];
  });
};

/** Counts the request against each limit; answers 429 when any is exhausted. */
function enforce(limits: Limiter[]): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    let tightest: { max: number; remaining: number; ttlInSeconds: number } | null = null;
    let exceeded: { name: string; max: number; ttlInSeconds: number } | null = null;
    for (const { name, check } of limits) {
      const r = await check(request);
      if (r.isAllowed) continue;
      if (!tightest || r.remaining < tightest.remaining) tightest = r;
      if (r.isExceeded && (!exceeded || r.ttlInSeconds > exceeded.ttlInSeconds)) exceeded = { name, ...r };
    }
    if (!tightest) return;
    // IETF draft RateLimit header fields (the same ones @fastify/rate-limit's enableDraftSpec sends).
    reply.header('ratelimit-limit', tightest.max).header('ratelimit-remaining', tightest.remaining).header('ratelimit-reset', tightest.ttlInSeconds);
    if (!exceeded) return;
    reply.header('retry-after', exceeded.ttlInSeconds);
    throw new AppError(
      429,
      'Too Many Requests',
      'rate-limited',
      `${exceeded.name} limit of ${exceeded.max} per minute reached; retry in ${exceeded.ttlInSeconds} s`,
    );
  };
}

export default fp(rateLimits, { name: 'rate-limits' });
