import net from 'node:net';
import path from 'node:path';
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { envBool, loadConfig, port, sharedEnv, withLocalSqs } from '@oms/platform';
import { jwtSecretProblem, KNOWN_ADMIN_PASSWORDS, KNOWN_JWT_SECRETS } from './secret-checks';

/** Development-only defaults; the service warns when they are in use and refuses them in production. */
export const DEV_JWT_SECRET = KNOWN_JWT_SECRETS[0]!;
export const DEV_ADMIN_EMAIL = 'admin@oms.local';
export const DEV_ADMIN_PASSWORD = KNOWN_ADMIN_PASSWORDS[0]!;

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY next to addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isAddressOrCidr(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which reverse proxies may set the client address (X-Forwarded-For): a hop count, or the proxies'
 * addresses / CIDRs. Unset trusts none (the socket's peer is the client). "Trust everyone" is not
 * offered: any client could then pick the address the per-address limits count.
 */
const TrustProxy = z
  .string()
  .default('')
  .transform((s, ctx): number | string[] | false => {
    const v = s.trim();
    if (v === '' || v === '0' || v === 'false') return false;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.find((e) => !isAddressOrCidr(e));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not a hop count, an IP address, a CIDR or loopback/linklocal/uniquelocal` });
      return z.NEVER;
    }
    return entries;
  });

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
/** Requests per minute per user; 0 turns the limit off (load tests lift them). */
const ratePerMin = (perMin: number) => int(0).default(perMin);

export const OrderServiceEnv = z
  .object({
    ...sharedEnv,
    PORT: port.default(8000),
    HOST: z.string().min(1).default('0.0.0.0'),
    // Resolved from this file, not the cwd: <repo>/var/order-service.sqlite.
    SQLITE_PATH: z.string().min(1).default(path.resolve(__dirname, '../../../var/order-service.sqlite')),
    /** Unset: the development default outside production; production refuses to start without a strong one. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ISSUER: z.string().min(1).default('oms-order-service'),
    JWT_AUDIENCE: z.string().min(1).default('oms'),
    ACCESS_TOKEN_TTL_SEC: int(10, 86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(7),
    ADMIN_EMAIL: z
      .email()
      .transform((e) => e.toLowerCase())
      .default(DEV_ADMIN_EMAIL),
    ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
    TAX_RATE_BPS: int(0, 10_000).default(1800),
    OUTBOX_CRON: z.string().refine(isValidCron, 'not a valid cron expression').default('* * * * * *'),
    OUTBOX_BATCH_SIZE: int(1, 1000).default(100),
    /** The relay waits this long after a nudge so the orders of a busy moment share one claim and SendMessageBatch. */
    OUTBOX_LINGER_MS: int(0, 1000).default(5),
    OUTBOX_MAX_ATTEMPTS: int(1, 1000).default(10),
    OUTBOX_LEASE_MS: int(1000).default(30_000),
    OUTBOX_MAX_QUEUE_DEPTH: int(0).default(20_000),
    /** Live order stream (GET /api/orders/stream): heartbeat comment interval, open streams per user, most events replayed on a reconnect. */
    SSE_HEARTBEAT_SEC: int(1, 300).default(15),
    SSE_MAX_STREAMS_PER_USER: int(1, 100).default(5),
    SSE_REPLAY_EVENTS: int(0, 100_000).default(1000),
    /** Order change feed: how often each replica reads it (another replica's changes show within this), and how long events are kept. */
    ORDER_FEED_POLL_MS: int(10, 10_000).default(100),
    ORDER_EVENTS_RETENTION_HOURS: int(1, 24 * 365).default(24),
    /** Mounts the load-run endpoints (/api/admin/load-runs); default on outside production, off in it. */
    LOAD_TEST_ENDPOINTS: envBool.optional(),
    /** Benchmark only: mounts POST /api/bench/orders-naive (admin), the no-outbox baseline `pnpm bench` compares against. */
    BENCH_NAIVE_PUBLISH: envBool.default(false),
    RATE_LIMIT_ORDERS_PER_MIN: ratePerMin(5),
    RATE_LIMIT_READS_PER_MIN: ratePerMin(30),
    RATE_LIMIT_LOGIN_PER_MIN: ratePerMin(10),
    /** Login attempts per minute from one IP over all accounts; unset = 5 x RATE_LIMIT_LOGIN_PER_MIN. */
    RATE_LIMIT_LOGIN_IP_PER_MIN: int(0).optional(),
    /** Failed-or-not login attempts on one account from all addresses before each further one is delayed (doubling, capped). */
    LOGIN_SLOWDOWN_AFTER: int(0).default(10),
    /** Registrations and token refreshes per minute per client address. */
    RATE_LIMIT_REGISTER_PER_MIN: ratePerMin(10),
    RATE_LIMIT_REFRESH_PER_MIN: ratePerMin(60),
    TRUST_PROXY: TrustProxy,
    /** Comma-separated browser origins allowed by CORS; empty = CORS off. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      // Cookies ride on credentialed CORS: every origin allowed would let any site act as the user.
      .refine((origins) => !origins.includes('*'), 'list the allowed origins; * is refused'),
    COOKIE_SECURE: envBool.optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.NODE_ENV !== 'production') return;
    const refuse = (name: string, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
    if (cfg.JWT_SECRET === undefined) refuse('JWT_SECRET', 'must be set in production');
    else {
      const problem = jwtSecretProblem(cfg.JWT_SECRET);
      if (problem) refuse('JWT_SECRET', problem);
    }
    if (cfg.ADMIN_PASSWORD === undefined) refuse('ADMIN_PASSWORD', 'must be set in production');
    else if (KNOWN_ADMIN_PASSWORDS.includes(cfg.ADMIN_PASSWORD))
      refuse('ADMIN_PASSWORD', 'is a published default; set a password of your own');
    if (cfg.BENCH_NAIVE_PUBLISH && cfg.LOAD_TEST_ENDPOINTS !== true) {
      refuse('BENCH_NAIVE_PUBLISH', 'needs LOAD_TEST_ENDPOINTS=true in production');
    }
  })
  .transform((cfg) => ({
    ...withLocalSqs(cfg),
    JWT_SECRET: cfg.JWT_SECRET ?? DEV_JWT_SECRET,
    ADMIN_PASSWORD: cfg.ADMIN_PASSWORD ?? DEV_ADMIN_PASSWORD,
    LOAD_TEST_ENDPOINTS: cfg.LOAD_TEST_ENDPOINTS ?? cfg.NODE_ENV !== 'production',
    COOKIE_SECURE: cfg.COOKIE_SECURE ?? cfg.NODE_ENV === 'production',
    // Several people behind one NAT share an IP, hence more room than for one account.
    RATE_LIMIT_LOGIN_IP_PER_MIN: cfg.RATE_LIMIT_LOGIN_IP_PER_MIN ?? cfg.RATE_LIMIT_LOGIN_PER_MIN * 5,
  }));

export type OrderServiceConfig = z.infer<typeof OrderServiceEnv>;

export function loadOrderServiceConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  return loadConfig(OrderServiceEnv, env);
}

/** Lines to print at start when development defaults are in use. */
export function configWarnings(cfg: OrderServiceConfig): string[] {
  const warnings: string[] = [];
  if (cfg.JWT_SECRET === DEV_JWT_SECRET) warnings.push('JWT_SECRET is the development default; set a real secret');
  if (cfg.ADMIN_EMAIL === DEV_ADMIN_EMAIL && cfg.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    warnings.push(`admin account uses the development default login ${DEV_ADMIN_EMAIL} / ${DEV_ADMIN_PASSWORD}`);
  } else if (cfg.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    warnings.push('ADMIN_PASSWORD is the development default; set a real password');
  }
  return warnings;
}
