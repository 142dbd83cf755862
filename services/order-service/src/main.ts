// First: it hooks http, fastify and the AWS SDK, which must not have loaded yet.
import { tracing } from './tracing';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QueueKey } from '@oms/contracts';
import type { OutboxRelay } from '@oms/outbox';
import { loggerOptions, sqsEndpointLabel } from '@oms/platform';
import { createSqsClient, recreateMissingQueues } from '@oms/platform/sqs';
import { seedAdmin } from './app/auth';
import { LoadRuns } from './app/load-runs';
import { RelayLag } from './app/queue-monitor';
import { configWarnings, loadOrderServiceConfig } from './config';
import { withFeedNudges } from './app/order-feed';
import { buildApp, createOrderFeed } from './http/app';
import { relayPublishObserver, withStoreMetrics } from './infra/metrics';
import { createOutboxRelay } from './infra/outbox-relay';
import { ensureOrderServiceQueues, type OrderServiceQueues } from './infra/queues';
import { createSqsQueueAdmin } from './infra/sqs-queue-admin';
import { purgeOrderQueues, sendInline } from './infra/load-run-queues';
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
  // This replica's tail of the shared change feed: the SSE streams and load runs read it.
  const orderFeed = createOrderFeed(store, config, (err, what) => app.log.error({ err }, what));
  const relayLag = new RelayLag();
  const loadRuns = new LoadRuns({
    store,
    events: orderFeed,
    taxRateBps: config.TAX_RATE_BPS,
    now: () => new Date(),
    nudgeRelay: () => relay?.nudge(),
    holdRelay: async () => {
      const held = relay;
      await held?.stop();
      return () => held?.start();
    },
    purgeQueues: () => purgeOrderQueues(sqs, queues),
    log: { info: (obj, msg) => app.log.info(obj, msg), error: (obj, msg) => app.log.error(obj, msg) },
  });

  const app = await buildApp({
    config,
    store,
    logger: loggerOptions('order-service', config.LOG_LEVEL),
    onOrderPlaced: () => relay?.nudge(),
    orderFeed,
    relayLag,
    loadRuns,
    publishInline: (message) => sendInline(sqs, queues, message),
    queueAdmin: createSqsQueueAdmin(sqs, [config.QUEUE_ORDERS, config.QUEUE_ORDERS_PRIORITY, config.QUEUE_ORDER_STATUS], () =>
      queues ? Object.values(queues) : null,
    ),
    queueReady: async () => {
      if (!queues) throw new Error('queues not set up yet');
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[QueueKey.orderStatus].url, AttributeNames: ['QueueArn'] }));
    },
  });
  const log = app.log;
  recreateMissingQueues(sqs, () => ensureOrderServiceQueues(sqs, config, log, stopping.signal), log.child({ component: 'queues' }));
  for (const warning of configWarnings(config)) log.warn(`DEVELOPMENT DEFAULT: ${warning}`);
  log.info({ store: config.MONGODB_URI ? 'mongodb' : `sqlite ${config.SQLITE_PATH}` }, 'store open');
  log.info(`using SQS at ${sqsEndpointLabel(config)}`);
  const seeded = await seedAdmin({ store, now: () => new Date() }, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
  if (seeded === 'created') log.info({ email: config.ADMIN_EMAIL }, 'admin account created');
  if (seeded === 'password-updated') log.warn({ email: config.ADMIN_EMAIL }, 'admin password changed to ADMIN_PASSWORD; its sessions were revoked');

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
      await tracing?.stop();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // HTTP first: liveness answers (and orders queue up in the outbox) while SQS is still coming up.
  await app.listen({ port: config.PORT, host: config.HOST });

  try {
    queues = await ensureOrderServiceQueues(sqs, config, log, stopping.signal);
  } catch (err) {
    if (stopping.signal.aborted) return;
    throw err;
  }
  const observePublished = relayPublishObserver(app.metrics);
  relay = createOutboxRelay({
    store,
    sqs,
    queues,
    settings: config,
    log: log.child({ component: 'outbox-relay' }),
    onPublished: (count, ages) => {
      observePublished(count, ages);
      relayLag.record(ages);
    },
  });
  consumer = createStatusConsumer({
    sqs,
    queueUrl: queues[QueueKey.orderStatus].url,
    store: withFeedNudges(withStoreMetrics(store, app.metrics), orderFeed),
    log: log.child({ component: 'order-status-consumer' }),
    onApplied: (applied) => loadRuns.observeStatus(applied),
  });
  relay.start();
  consumer.start();
  // Stores that can push (MongoDB change streams) wake the relay at once; the cron stays the guarantee.
  unwatchOutbox = store.watchOutbox?.(
    () => relay?.nudge(),
    (err) => log.warn({ err }, 'outbox watch failed; reopening it soon, the cron tick covers the gap'),
  );
  log.info('outbox relay and order-status consumer running');
}

main().catch((err: unknown) => {
  process.stderr.write(`order-service failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
