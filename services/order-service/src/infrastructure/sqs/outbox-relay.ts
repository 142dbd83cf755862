import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueKey } from '@oms/contracts';
import { OutboxRelay, type OutboxStore, type RelayOptions } from '@oms/outbox';
import { SqsOutboxPublisher } from '@oms/outbox/sqs';
import type { OrderServiceQueues } from './queues';

export interface OutboxRelaySettings {
  OUTBOX_CRON: string;
  OUTBOX_BATCH_SIZE: number;
  /** Optional so callers (tests) may leave coalescing off. */
  OUTBOX_LINGER_MS?: number;
  OUTBOX_MAX_ATTEMPTS: number;
  OUTBOX_LEASE_MS: number;
  /** 0 or unset: no backpressure. */
  OUTBOX_MAX_QUEUE_DEPTH?: number;
}

/** Outbox rows carry a logical destination (a queue key); this maps it to the queue URL. */
export function createOutboxRelay(opts: {
  store: OutboxStore;
  sqs: SQSClient;
  queues: OrderServiceQueues;
  settings: OutboxRelaySettings;
  log: RelayOptions['log'];
  onPublished?: RelayOptions['onPublished'];
}): OutboxRelay {
  const urls = new Map<string, string>(Object.entries(opts.queues).map(([key, ref]) => [key, ref.url]));
  const publisher = new SqsOutboxPublisher(opts.sqs, (destination) => {
    const url = urls.get(destination);
    if (!url) throw new Error(`no queue for outbox destination "${destination}"`);
    return url;
  });
  // Messages waiting or in flight on the two order queues: what the relay has put there and consumers have not finished.
  const orderQueues = [opts.queues[QueueKey.orders].url, opts.queues[QueueKey.ordersPriority].url];
  const queueDepth = async () => {
    const depths = await Promise.all(
      orderQueues.map(async (QueueUrl) => {
        const { Attributes: a } = await opts.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return Number(a?.ApproximateNumberOfMessages ?? 0) + Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0);
      }),
    );
    return depths.reduce((sum, n) => sum + n, 0);
  };
  const maxQueueDepth = opts.settings.OUTBOX_MAX_QUEUE_DEPTH ?? 0;
  return new OutboxRelay({
    store: opts.store,
    publisher,
    cron: opts.settings.OUTBOX_CRON,
    batchSize: opts.settings.OUTBOX_BATCH_SIZE,
    lingerMs: opts.settings.OUTBOX_LINGER_MS ?? 0,
    maxAttempts: opts.settings.OUTBOX_MAX_ATTEMPTS,
    leaseMs: opts.settings.OUTBOX_LEASE_MS,
    log: opts.log,
    onPublished: opts.onPublished,
    backpressure: maxQueueDepth > 0 ? { maxQueueDepth, queueDepth } : undefined,
  });
}
