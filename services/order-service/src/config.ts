import path from 'node:path';
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { envBool, loadConfig, port, sharedEnv, withLocalSqs } from '@oms/platform';

/** Development-only defaults; the service warns when they are in use and refuses them in production. */
export const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-do-not-use-in-production';
export const DEV_ADMIN_EMAIL = 'admin@oms.local';
export const DEV_ADMIN_PASSWORD = 'Admin@123';

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
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    JWT_ISSUER: z.string().min(1).default('oms-order-service'),
    JWT_AUDIENCE: z.string().min(1).default('oms'),
    ACCESS_TOKEN_TTL_SEC: int(10, 86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(7),
    ADMIN_EMAIL: z.email().transform((e) => e.toLowerCase()).default(DEV_ADMIN_EMAIL),
    ADMIN_PASSWORD: z.string().min(8).max(128).default(DEV_ADMIN_PASSWORD),
    TAX_RATE_BPS: int(0, 10_000).default(1800),
    OUTBOX_CRON: z.string().refine(isValidCron, 'not a valid cron expression').default('* * * * * *'),
    OUTBOX_BATCH_SIZE: int(1, 1000).default(100),
    /** The relay waits this long after a nudge so the orders of a busy moment share one claim and SendMessageBatch. */
    OUTBOX_LINGER_MS: int(0, 1000).default(5),
    OUTBOX_MAX_ATTEMPTS: int(1, 1000).default(10),
    OUTBOX_LEASE_MS: int(1000).default(30_000),
    /** Live order stream (GET /api/orders/stream): heartbeat comment interval, open streams per user, most events replayed on a reconnect. */
    SSE_HEARTBEAT_SEC: int(1, 300).default(15),
    SSE_MAX_STREAMS_PER_USER: int(1, 100).default(5),
    SSE_REPLAY_EVENTS: int(0, 100_000).default(1000),
    /** Order change feed: how often each replica reads it (another replica's changes show within this), and how long events are kept. */
    ORDER_FEED_POLL_MS: int(10, 10_000).default(100),
    ORDER_EVENTS_RETENTION_HOURS: int(1, 24 * 365).default(24),
    /** Benchmark only: mounts POST /api/bench/orders-naive, the no-outbox baseline `pnpm bench` compares against. */
    BENCH_NAIVE_PUBLISH: envBool.default(false),
    RATE_LIMIT_ORDERS_PER_MIN: ratePerMin(5),
    RATE_LIMIT_READS_PER_MIN: ratePerMin(30),
    RATE_LIMIT_LOGIN_PER_MIN: ratePerMin(10),
    /** Login attempts per minute from one IP over all accounts; unset = 5 x RATE_LIMIT_LOGIN_PER_MIN. */
    RATE_LIMIT_LOGIN_IP_PER_MIN: int(0).optional(),
    /** Comma-separated browser origins allowed by CORS; empty = CORS off. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
    COOKIE_SECURE: envBool.optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.NODE_ENV === 'production' && cfg.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production (the default is for development only)' });
    }
  })
  .transform((cfg) => ({
    ...withLocalSqs(cfg),
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
