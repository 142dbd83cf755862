import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QueueKey } from '@oms/contracts';
import type { OutboxRelay } from '@oms/outbox';
import { createSqsClient, loggerOptions } from '@oms/platform';
import { seedAdmin } from './app/auth';
import { configWarnings, loadOrderServiceConfig } from './config';
import { buildApp } from './http/app';
import { createOutboxRelay } from './infra/outbox-relay';
import { ensureOrderServiceQueues, type OrderServiceQueues } from './infra/queues';
import { createStatusConsumer, type StatusConsumer } from './infra/status-consumer';
import { openStore } from './store';

async function main(): Promise<void> {
  const config = loadOrderServiceConfig();
  const store = await openStore(config);
  const sqs = createSqsClient(config);
  const stopping = new AbortController();
  let queues: OrderServiceQueues | null = null;
  let relay: OutboxRelay | null = null;
  let consumer: StatusConsumer | null = null;
  let unwatchOutbox: (() => void) | undefined;

  const app = await buildApp({
    config,
    store,
    logger: loggerOptions('order-service', config.LOG_LEVEL),
    onOrderPlaced: () => relay?.nudge(),
    queueReady: async () => {
      if (!queues) throw new Error('queues not set up yet');
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[QueueKey.orderStatus].url, AttributeNames: ['QueueArn'] }));
    },
  });
  const log = app.log;
  for (const warning of configWarnings(config)) log.warn(`DEVELOPMENT DEFAULT: ${warning}`);
  log.info({ store: config.MONGODB_URI ? 'mongodb' : `sqlite ${config.SQLITE_PATH}` }, 'store open');
  if (await seedAdmin({ store, now: () => new Date() }, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD })) {
    log.info({ email: config.ADMIN_EMAIL }, 'admin account created');
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    stopping.abort();
    try {
      unwatchOutbox?.();
      await consumer?.stop();
      await app.close(); // lets in-flight requests finish
      await relay?.stop();
      await store.close();
      sqs.destroy();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  // HTTP first: liveness answers (and orders queue up in the outbox) while SQS is still coming up.
  await app.listen({ port: config.PORT, host: config.HOST });

  try {
    queues = await ensureOrderServiceQueues(sqs, config, log, stopping.signal);
  } catch (err) {
    if (stopping.signal.aborted) return;
    throw err;
  }
  relay = createOutboxRelay({ store, sqs, queues, settings: config, log: log.child({ component: 'outbox-relay' }) });
  consumer = createStatusConsumer({
    sqs,
    queueUrl: queues[QueueKey.orderStatus].url,
    store,
    log: log.child({ component: 'order-status-consumer' }),
  });
  relay.start();
  consumer.start();
  // Stores that can push (MongoDB change streams) wake the relay at once; the cron stays the guarantee.
  unwatchOutbox = store.watchOutbox?.(
    () => relay?.nudge(),
    (err) => log.warn({ err }, 'outbox watch failed; relying on the cron tick'),
  );
  log.info('outbox relay and order-status consumer running');
}

main().catch((err: unknown) => {
  process.stderr.write(`order-service failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
