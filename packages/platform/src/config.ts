import { z } from 'zod';

/**
 * Parses env with a zod schema. On failure prints ONE line naming the variable and exits,
 * because a half-configured service is worse than one that refuses to start.
 */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue?.path.join('.') || 'environment';
  process.stderr.write(`config error: ${name}: ${issue?.message ?? 'invalid'}\n`);
  process.exit(1);
}

/** Env flags arrive as strings; only explicit words count. */
export const envBool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = z.coerce.number().int().min(0).max(65535);

/** The embedded SQS that `pnpm start:infra` runs. */
export const LOCAL_SQS_ENDPOINT = 'http://127.0.0.1:4566';

/** Settings every service shares: queues and logging. Pass the parsed object through `withLocalSqs`. */
export const sharedEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AWS_REGION: z.string().default('us-east-1'),
  SQS_ENDPOINT: z.url().optional(),
  QUEUE_ORDERS: z.string().default('orders'),
  QUEUE_ORDERS_PRIORITY: z.string().default('orders-priority'),
  QUEUE_ORDER_STATUS: z.string().default('order-status'),
  MONGODB_URI: z.string().optional(),
  /** MongoDB: published outbox rows are deleted by a TTL index this long after publishing. */
  OUTBOX_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(72),
  /** FULL: an answered commit survives power loss. NORMAL trades that for speed (see tuneSqlite). */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
};

/**
 * Outside production an unset SQS_ENDPOINT means the embedded SQS on 127.0.0.1:4566 (with dummy
 * credentials, see createSqsClient), so a service started on its own next to `pnpm start:infra`
 * just works; in production it means AWS and the SDK's default credential chain.
 */
export function withLocalSqs<T extends { NODE_ENV: string; SQS_ENDPOINT?: string | undefined }>(cfg: T): T {
  return cfg.NODE_ENV === 'production' || cfg.SQS_ENDPOINT ? cfg : { ...cfg, SQS_ENDPOINT: LOCAL_SQS_ENDPOINT };
}

/** The one start-up line naming the SQS endpoint a service talks to. */
export const sqsEndpointLabel = (cfg: { SQS_ENDPOINT?: string | undefined; AWS_REGION: string }): string =>
  cfg.SQS_ENDPOINT ?? `AWS SQS (${cfg.AWS_REGION})`;
