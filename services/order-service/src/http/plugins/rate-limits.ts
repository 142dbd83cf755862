import rateLimit, { normalizeIP, type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyContextConfig, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { backoffDelay, sleep } from '@oms/platform';
import { AppError } from '../../application/shared/errors';
import type { RateLimitCounters } from '../../application/operations/rate-limit-counters';

const ipOf = (request: FastifyRequest) => normalizeIP(request.ip);
const loginEmail = (request: FastifyRequest) => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

/** Whom a limit counts: the caller's token subject (anyone else by address), the client address, or one login account from one address. */
const KEYS = {
  'user-or-ip': (request: FastifyRequest) => (request.principal ? `user:${request.principal.userId}` : `ip:${ipOf(request)}`),
  ip: ipOf,
  'login-account-and-ip': (request: FastifyRequest) => `${loginEmail(request)}|${ipOf(request)}`,
};

/** One quota a route declares in `config.rateLimits`. */
export interface RateLimit {
  /** Shown in the 429 and part of the counter key: routes declaring the same name share one quota. */
  name: string;
  /** Requests per minute; 0 turns the limit off. */
  perMin: number;
  per: keyof typeof KEYS;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Not @fastify/rate-limit's own `rateLimit`: several limits, one 429 problem, counted after authentication. */
    rateLimits?: RateLimit[];
    /** Attempts per minute on one login account, from all addresses, after which each further one waits longer; 0 = never. */
    loginSlowdownAfter?: number;
  }
}

type Check = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
interface Limiter {
  name: string;
  check: ReturnType<FastifyInstance['createRateLimit']>;
}

const WINDOW_MS = 60_000;
/** Login slowdown: the first attempt past the allowance waits this long, each further one twice as long, up to the cap. */
const SLOWDOWN_BASE_MS = 250;
const SLOWDOWN_MAX_MS = 8_000;
/** The slowdown counter only counts; it never refuses. */
const UNCAPPED = Number.MAX_SAFE_INTEGER;
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 1000;

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

function pruneEveryMinute(app: FastifyInstance, counters: RateLimitCounters): void {
  const prune = setInterval(() => {
    void (async () => {
      while ((await counters.pruneRateLimits(new Date(), PRUNE_BATCH)) === PRUNE_BATCH);
    })().catch((err: unknown) => app.log.warn({ err }, 'pruning rate-limit counters failed'));
  }, PRUNE_EVERY_MS);
  prune.unref();
  app.addHook('onClose', async () => clearInterval(prune));
}

/**
 * Quotas (@fastify/rate-limit counters) that each route declares in its options, e.g.
 * `config: { rateLimits: [{ name: 'read', perMin: 30, per: 'user-or-ip' }] }`; routes declaring
 * none are not limited. The check runs as a preHandler, after authentication, so an authenticated
 * caller is counted by token subject, anyone else by IP (request.ip: X-Forwarded-For only through
 * the proxies TRUST_PROXY names).
 *
 * Counters live in the service's database (one upsert per counted request, in the same group
 * commit as the orders of that moment), so the quotas hold whatever the number of replicas.
 * Expired counters are pruned every minute (MongoDB: its TTL index).
 */
const rateLimits: FastifyPluginAsync<{ counters: RateLimitCounters }> = async (app, { counters }) => {
  await app.register(rateLimit, { global: false, store: databaseStore(counters) });
  pruneEveryMinute(app, counters);

  const limiter = ({ name, perMin, per }: RateLimit): Limiter => ({
    name,
    check: app.createRateLimit({ max: perMin, timeWindow: WINDOW_MS, keyGenerator: (request) => `${name}|${KEYS[per](request)}` }),
  });
  const loginAttempts = app.createRateLimit({
    max: UNCAPPED,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `login attempts|${loginEmail(request)}`,
  });
  const checksOf = ({ rateLimits: declared = [], loginSlowdownAfter = 0 }: FastifyContextConfig): Check[] => {
    const limiters = declared.filter((limit) => limit.perMin > 0).map(limiter);
    return [
      ...(limiters.length > 0 ? [enforce(limiters)] : []),
      ...(loginSlowdownAfter > 0 ? [slowDown(loginAttempts, loginSlowdownAfter)] : []),
    ];
  };

  // Built once per route, on its first request: by then its config is final, whatever other onRoute hooks did to it.
  const checks = new WeakMap<FastifyContextConfig, Check[]>();
  app.addHook('preHandler', async (request, reply) => {
    // The HEAD twin fastify adds to a GET route shares its config; only the declared method counts.
    if (request.method === 'HEAD') return;
    const { config } = request.routeOptions;
    let route = checks.get(config);
    if (!route) checks.set(config, (route = checksOf(config)));
    for (const check of route) await check(request, reply);
  });
};

/** Counts the request against each limit; answers 429 when any is exhausted. */
function enforce(limits: Limiter[]): Check {
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
    reply
      .header('ratelimit-limit', tightest.max)
      .header('ratelimit-remaining', tightest.remaining)
      .header('ratelimit-reset', tightest.ttlInSeconds);
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

/**
 * Waits before a login on an account that many attempts (from anywhere) hit this minute: never a
 * refusal, so a guessing attack spread over many addresses cannot lock the owner out.
 */
function slowDown(loginAttempts: Limiter['check'], after: number): Check {
  return async (request) => {
    const r = await loginAttempts(request);
    if (r.isAllowed) return;
    const beyond = r.max - r.remaining - after;
    if (beyond > 0) await sleep(backoffDelay(beyond, { base: SLOWDOWN_BASE_MS, cap: SLOWDOWN_MAX_MS, jitter: false }));
  };
}

export default fp(rateLimits, { name: 'rate-limits' });
