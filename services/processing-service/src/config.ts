import path from 'node:path';
import { z } from 'zod';
import { envBool, loadConfig, port, sharedEnv, withLocalSqs } from '@oms/platform';

const positiveInt = z.coerce.number().int().positive();

/** The SMTP catcher that `pnpm start:infra` runs; the default outside production only. */
export const LOCAL_SMTP_HOST = '127.0.0.1';

export const ConfigSchema = z
  .object({
    ...sharedEnv,
    PORT: port.default(8001),
    HOST: z.string().default('0.0.0.0'),
    SQLITE_PATH: z.string().default(path.resolve(__dirname, '../../../var/processing-service.sqlite')),
    /** Where the SMTP thread journals accepted mails (see infrastructure/smtp/send-journal.ts); default `<SQLITE_PATH>.sends`. */
    SEND_JOURNAL_PATH: z.string().min(1).optional(),
    SMTP_HOST: z.string().min(1).optional(),
    SMTP_PORT: port.default(1025),
    SMTP_SECURE: envBool.default(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASS: z.string().optional(),
    SMTP_POOL_SIZE: positiveInt.default(16),
    /** Mails at once whose final dot is sent and whose 250 is not yet journaled: the most duplicate emails one crash can cause. */
    SMTP_UNCONFIRMED_MAX: positiveInt.default(1),
    MAIL_FROM: z.string().default('OMS <orders@oms.local>'),
    SHOP_NAME: z.string().default('OMS Shop'),
    SHOP_URL: z.url().default('http://localhost:8000'),
    /** Messages in flight across both order queues. */
    CONSUMER_CONCURRENCY: positiveInt.default(64),
    /** Messages asked for per ReceiveMessage call (SQS allows at most 10). */
    CONSUMER_BATCH_SIZE: positiveInt.max(10).default(10),
    VISIBILITY_TIMEOUT_SEC: z.coerce.number().int().min(0).max(43_200).default(30),
    /** Redelivery delay after a transient failure: base * 2^(receives-1), capped. */
    RETRY_BASE_SEC: positiveInt.default(5),
    RETRY_MAX_SEC: positiveInt.max(43_200).default(300),
    /** PROCESSING is reported for orders still in hand after this long (or waiting for a retry); 0 = at once. */
    PROCESSING_STATUS_AFTER_MS: z.coerce.number().int().min(0).max(60_000).default(500),
    OUTBOX_CRON: z.string().default('* * * * * *'),
    OUTBOX_BATCH_SIZE: positiveInt.default(100),
    /** The relay waits this long after a nudge so a busy moment's status events share one SendMessageBatch. */
    OUTBOX_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(10),
    OUTBOX_MAX_ATTEMPTS: positiveInt.default(10),
    OUTBOX_LEASE_MS: positiveInt.default(30_000),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.NODE_ENV === 'production' && !cfg.SMTP_HOST) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_HOST'],
        message: 'must be set in production (the mail server to send confirmations through)',
      });
    }
  })
  .transform((cfg) => ({
    ...withLocalSqs(cfg),
    SMTP_HOST: cfg.SMTP_HOST ?? LOCAL_SMTP_HOST,
    SEND_JOURNAL_PATH: cfg.SEND_JOURNAL_PATH ?? `${cfg.SQLITE_PATH}.sends`,
  }));
export type Config = z.infer<typeof ConfigSchema>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfig(ConfigSchema, env);
