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
export const envBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = z.coerce.number().int().min(0).max(65535);

/** Settings every service shares: queues and logging. */
export const sharedEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AWS_REGION: z.string().default('us-east-1'),
  SQS_ENDPOINT: z.string().url().optional(),
  QUEUE_ORDERS: z.string().default('orders'),
  QUEUE_ORDERS_PRIORITY: z.string().default('orders-priority'),
  QUEUE_ORDER_STATUS: z.string().default('order-status'),
  MONGODB_URI: z.string().optional(),
};
