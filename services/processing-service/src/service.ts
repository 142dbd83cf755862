/** The composition root: config -> store, SQS, SMTP -> use cases -> HTTP; owns start and stop (main.ts runs it as a process). */
import { GetQueueUrlCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { QueueKey } from '@oms/contracts';
import { OutboxRelay } from '@oms/outbox';
import { SqsOutboxPublisher } from '@oms/outbox/sqs';
import { inSpan, loggerOptions, sqsEndpointLabel } from '@oms/platform';
import { createSqsClient, recreateMissingQueues } from '@oms/platform/sqs';
import type { Config } from './config';
import { ConfirmationEmail } from './application/confirmation-email';
import type { ProcessingStore } from './application/ports';
import { OrderProcessor } from './application/process-order';
import { buildHttpServer } from './http/server';
import { withMailSpan } from './infrastructure/metrics/mail-span';
import { createMetrics, withMailMetrics, type ServiceMetrics } from './infrastructure/metrics/metrics';
import { openStore } from './infrastructure/open-store';
import { SmtpGate } from './infrastructure/smtp/gate';
import { SmtpMailer } from './infrastructure/smtp/mailer';
import { clearSendJournal, reconcileSendJournal, ROTATE_EVERY_MS } from './infrastructure/smtp/send-journal';
import { smtpPoolOptions, WorkerSmtpPool } from './infrastructure/smtp/smtp-pool';
import { PriorityPoller, type PolledQueue } from './infrastructure/sqs/priority-poller';
import { ensureServiceQueues, type ServiceQueues } from './infrastructure/sqs/queues';

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

/** What the service holds from construction to stop. */
interface Wiring {
  cfg: Config;
  sqs: SQSClient;
  store: ProcessingStore;
  smtp: WorkerSmtpPool;
  metrics: ServiceMetrics;
  gate: SmtpGate;
  rotation: NodeJS.Timeout;
  log: FastifyBaseLogger;
}

/** What start() adds: the status relay and the order consumer. */
interface Consuming {
  relay: OutboxRelay;
  poller: PriorityPoller;
}

/** config -> stores -> use cases -> http. Nothing is received from SQS until start(). */
export async function createProcessingService(cfg: Config): Promise<ProcessingService> {
  const sqs = createSqsClient(cfg);
  const store = await openStore(cfg);
  // Sends accepted by the server before a crash, whose inbox record never committed.
  const journaled = await reconcileSendJournal(cfg.SEND_JOURNAL_PATH, (eventId, messageId, at) =>
    store.recordEmailSent(eventId, messageId, at),
  );
  const smtp = new WorkerSmtpPool(smtpPoolOptions(cfg), { journalPath: cfg.SEND_JOURNAL_PATH, unconfirmedMax: cfg.SMTP_UNCONFIRMED_MAX });
  const metrics = createMetrics(store);
  const http = buildHttp(cfg, sqs, store, smtp, metrics);
  const log = http.log;
  if (journaled > 0) log.info({ sends: journaled }, 'send journal copied into the inbox');
  log.info(`using SQS at ${sqsEndpointLabel(cfg)} and SMTP at ${cfg.SMTP_HOST}:${cfg.SMTP_PORT}`);
  const wiring: Wiring = { cfg, sqs, store, smtp, metrics, gate: new SmtpGate(smtp, log), rotation: startJournalRotation(smtp, log), log };
  const startup = new AbortController();
  recreateMissingQueues(sqs, () => ensureServiceQueues(sqs, cfg, log, startup.signal), log.child({ component: 'queues' }));
  let consuming: Consuming | null = null;
  return {
    http,
    store,
    start: async () => {
      consuming = await startConsuming(wiring, startup.signal);
    },
    stop: async () => {
      startup.abort();
      await stopService(wiring, http, consuming);
    },
  };
}

function buildHttp(cfg: Config, sqs: SQSClient, store: ProcessingStore, smtp: WorkerSmtpPool, metrics: ServiceMetrics): FastifyInstance {
  return buildHttpServer({
    registry: metrics.registry,
    logger: loggerOptions('processing-service', cfg.LOG_LEVEL),
    checks: {
      db: () => store.ping(),
      queue: () => sqs.send(new GetQueueUrlCommand({ QueueName: cfg.QUEUE_ORDERS })),
      smtp: () => smtp.verify(),
    },
  });
}

function startJournalRotation(smtp: WorkerSmtpPool, log: FastifyBaseLogger): NodeJS.Timeout {
  const rotation = setInterval(
    () => void smtp.rotateJournal().catch((err: unknown) => log.warn({ err }, 'send journal rotation failed')),
    ROTATE_EVERY_MS,
  );
  rotation.unref();
  return rotation;
}

async function startConsuming(w: Wiring, signal: AbortSignal): Promise<Consuming> {
  const queues = await ensureServiceQueues(w.sqs, w.cfg, w.log, signal);
  const relay = createStatusRelay(w, queues);
  const processor = createOrderProcessor(w, relay);
  const priorityFirst = [queues.ordersPriority, queues.orders];
  const poller = new PriorityPoller({
    sqs: w.sqs,
    queues: priorityFirst,
    concurrency: w.cfg.CONSUMER_CONCURRENCY,
    batchSize: w.cfg.CONSUMER_BATCH_SIZE,
    visibilityTimeoutSec: w.cfg.VISIBILITY_TIMEOUT_SEC,
    idleWaitSec: IDLE_WAIT_SEC,
    beforeReceive: () => w.gate.waitUntilUp(),
    log: w.log,
    handle: orderMessageHandler(w, processor, priorityFirst),
  });
  relay.start();
  poller.start();
  w.log.info({ queues: priorityFirst.map((q) => q.name) }, 'consuming orders');
  return { relay, poller };
}

/** Publishes the status events this service's outbox holds to the order-status queue. */
function createStatusRelay(w: Wiring, queues: ServiceQueues): OutboxRelay {
  const urls: Record<string, string> = { [QueueKey.orderStatus]: queues.orderStatus.url };
  return new OutboxRelay({
    store: w.store,
    publisher: new SqsOutboxPublisher(w.sqs, (destination) => {
      const url = urls[destination];
      if (!url) throw new Error(`no queue for outbox destination ${destination}`);
      return url;
    }),
    cron: w.cfg.OUTBOX_CRON,
    batchSize: w.cfg.OUTBOX_BATCH_SIZE,
    lingerMs: w.cfg.OUTBOX_LINGER_MS,
    maxAttempts: w.cfg.OUTBOX_MAX_ATTEMPTS,
    leaseMs: w.cfg.OUTBOX_LEASE_MS,
    log: w.log,
  });
}

function createOrderProcessor(w: Wiring, relay: OutboxRelay): OrderProcessor {
  const { cfg, metrics } = w;
  return new OrderProcessor({
    store: w.store,
    mailer: withMailMetrics(withMailSpan(new SmtpMailer(w.smtp, cfg.MAIL_FROM)), metrics),
    email: new ConfirmationEmail({ name: cfg.SHOP_NAME, url: cfg.SHOP_URL }),
    statusWritten: () => relay.nudge(),
    retry: { baseSec: cfg.RETRY_BASE_SEC, maxSec: cfg.RETRY_MAX_SEC },
    processingStatusAfterMs: cfg.PROCESSING_STATUS_AFTER_MS,
    completed: ({ priority, status, processingTimeMs }) => {
      metrics.ordersCompleted.inc({ priority, status });
      metrics.orderLatency.observe({ priority, status }, processingTimeMs / 1000);
    },
  });
}

/** Each message continues the trace its traceparent attribute names (the order's, from the order service). */
function orderMessageHandler(w: Wiring, processor: OrderProcessor, queues: PolledQueue[]) {
  const { metrics, gate } = w;
  const queueLogs = new Map(queues.map((q) => [q.name, w.log.child({ queue: q.name })]));
  return (message: Message, queue: PolledQueue) =>
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
    );
}

/** In dependency order: intake first, the store last. */
async function stopService(w: Wiring, http: FastifyInstance, consuming: Consuming | null): Promise<void> {
  w.gate.close();
  await http.close();
  if (consuming) {
    await consuming.poller.stop();
    await consuming.relay.drain();
    await consuming.relay.stop();
  }
  clearInterval(w.rotation);
  await w.smtp.close();
  // Every send in hand was recorded by now (a stop finishes the messages it holds).
  clearSendJournal(w.cfg.SEND_JOURNAL_PATH);
  await w.store.close();
}
