import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { FastifyInstance } from 'fastify';
import { QueueKey } from '@oms/contracts';
import { OutboxRelay } from '@oms/outbox';
import { SqsOutboxPublisher } from '@oms/outbox/sqs';
import { inSpan, loggerOptions, sqsEndpointLabel } from '@oms/platform';
import { createSqsClient, recreateMissingQueues } from '@oms/platform/sqs';
import type { Config } from './config';
import { ConfirmationEmail } from './app/confirmation-email';
import type { ProcessingStore } from './app/ports';
import { OrderProcessor } from './app/process-order';
import { buildHttpServer } from './http/server';
import { PriorityPoller } from './infra/priority-poller';
import { createMetrics, withMailMetrics } from './infra/metrics';
import { withMailSpan } from './infra/mail-span';
import { ensureServiceQueues } from './infra/queues';
import { SmtpGate, SmtpMailer } from './infra/smtp';
import { clearSendJournal, reconcileSendJournal, ROTATE_EVERY_MS } from './infra/send-journal';
import { smtpPoolOptions, WorkerSmtpPool } from './infra/smtp-pool';
import { openStore } from './store';

export interface ProcessingService {
  http: FastifyInstance;
  store: ProcessingStore;
  /** Ensures the queues (waiting for SQS if needed), then starts the relay and the consumer. */
  start(): Promise<void>;
  /** Stops polling, lets in-flight messages finish, flushes the outbox, closes everything. */
  stop(): Promise<void>;
}

/**
 * Idle long poll on every order queue at once; SQS answers as soon as a message lands. Short,
 * because a stop waits for the polls out (aborting one could strand the messages it took).
 */
const IDLE_WAIT_SEC = 2;

export async function createProcessingService(cfg: Config): Promise<ProcessingService> {
  const sqs = createSqsClient(cfg);
  const store = await openStore(cfg);
  // Sends accepted by the server before a crash, whose inbox record never committed.
  const journaled = await reconcileSendJournal(cfg.SEND_JOURNAL_PATH, (eventId, messageId, at) => store.recordEmailSent(eventId, messageId, at));
  const smtp = new WorkerSmtpPool(smtpPoolOptions(cfg), cfg.SEND_JOURNAL_PATH);
  const metrics = createMetrics(store);
  const http = buildHttpServer({
    registry: metrics.registry,
    logger: loggerOptions('processing-service', cfg.LOG_LEVEL),
    checks: {
      db: () => store.ping(),
      queue: () => sqs.send(new GetQueueUrlCommand({ QueueName: cfg.QUEUE_ORDERS })),
      smtp: () => smtp.verify(),
    },
  });
  const log = http.log;
  if (journaled > 0) log.info({ sends: journaled }, 'send journal copied into the inbox');
  const rotation = setInterval(() => void smtp.rotateJournal().catch((err: unknown) => log.warn({ err }, 'send journal rotation failed')), ROTATE_EVERY_MS);
  rotation.unref();
  log.info(`using SQS at ${sqsEndpointLabel(cfg)} and SMTP at ${cfg.SMTP_HOST}:${cfg.SMTP_PORT}`);
  const gate = new SmtpGate(smtp, log);
  const startup = new AbortController();
  recreateMissingQueues(sqs, () => ensureServiceQueues(sqs, cfg, log, startup.signal), log.child({ component: 'queues' }));
  let relay: OutboxRelay | null = null;
  let poller: PriorityPoller | null = null;

  async function start(): Promise<void> {
    const queues = await ensureServiceQueues(sqs, cfg, log, startup.signal);
    const urls: Record<string, string> = { [QueueKey.orderStatus]: queues.orderStatus.url };
    relay = new OutboxRelay({
      store,
      publisher: new SqsOutboxPublisher(sqs, (destination) => {
        const url = urls[destination];
        if (!url) throw new Error(`no queue for outbox destination ${destination}`);
        return url;
      }),
      cron: cfg.OUTBOX_CRON,
      batchSize: cfg.OUTBOX_BATCH_SIZE,
      lingerMs: cfg.OUTBOX_LINGER_MS,
      maxAttempts: cfg.OUTBOX_MAX_ATTEMPTS,
      leaseMs: cfg.OUTBOX_LEASE_MS,
      log,
    });
    const statusRelay = relay;
    const processor = new OrderProcessor({
      store,
      mailer: withMailMetrics(withMailSpan(new SmtpMailer(smtp, cfg.MAIL_FROM)), metrics),
      email: new ConfirmationEmail({ name: cfg.SHOP_NAME, url: cfg.SHOP_URL }),
      statusWritten: () => statusRelay.nudge(),
      retry: { baseSec: cfg.RETRY_BASE_SEC, maxSec: cfg.RETRY_MAX_SEC },
      processingStatusAfterMs: cfg.PROCESSING_STATUS_AFTER_MS,
      completed: ({ priority, status, processingTimeMs }) => {
        metrics.ordersCompleted.inc({ priority, status });
        metrics.orderLatency.observe({ priority, status }, processingTimeMs / 1000);
      },
    });
    const queueLogs = new Map([queues.ordersPriority, queues.orders].map((q) => [q.name, log.child({ queue: q.name })]));
    poller = new PriorityPoller({
      sqs,
      queues: [queues.ordersPriority, queues.orders],
      concurrency: cfg.CONSUMER_CONCURRENCY,
      batchSize: cfg.CONSUMER_BATCH_SIZE,
      visibilityTimeoutSec: cfg.VISIBILITY_TIMEOUT_SEC,
      idleWaitSec: IDLE_WAIT_SEC,
      beforeReceive: () => gate.waitUntilUp(),
      log,
      // Each message continues the trace its traceparent attribute names (the order's, from the order service).
      handle: (message, queue) =>
        inSpan(
          'process order.placed',
          {
            kind: 'consumer',
            parent: message.MessageAttributes?.traceparent?.StringValue ?? null,
            attributes: { 'messaging.system': 'aws_sqs', 'messaging.destination.name': queue.name, 'messaging.message.id': message.MessageId },
          },
          async (span) => {
            const timer = metrics.handleSeconds.startTimer({ queue: queue.name });
            const outcome = await processor.handle(message.Body, {
              messageId: message.MessageId ?? 'unknown',
              receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
              log: queueLogs.get(queue.name)!,
            });
            timer();
            const result = outcome.ack ? outcome.result : outcome.reason;
            span.setAttribute('oms.result', result);
            metrics.messages.inc({ queue: queue.name, result });
            if (!outcome.ack && outcome.reason === 'smtp-unavailable') gate.markDown();
            return outcome;
          },
        ),
    });
    relay.start();
    poller.start();
    log.info({ queues: [queues.ordersPriority.name, queues.orders.name] }, 'consuming orders');
  }

  async function stop(): Promise<void> {
    startup.abort();
    gate.close();
    await http.close();
    await poller?.stop();
    if (relay) {
      await relay.drain();
      await relay.stop();
    }
    clearInterval(rotation);
    await smtp.close();
    // Every send in hand was recorded by now (a stop finishes the messages it holds).
    clearSendJournal(cfg.SEND_JOURNAL_PATH);
    await store.close();
  }

  return { http, store, start, stop };
}
