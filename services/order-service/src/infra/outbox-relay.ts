import type { SQSClient } from '@aws-sdk/client-sqs';
import { OutboxRelay, SqsOutboxPublisher, type OutboxStore, type RelayOptions } from '@oms/outbox';
import type { OrderServiceQueues } from './queues';

export interface OutboxRelaySettings {
  OUTBOX_CRON: string;
  OUTBOX_BATCH_SIZE: number;
  /** Optional so callers (tests) may leave coalescing off. */
  OUTBOX_LINGER_MS?: number;
  OUTBOX_MAX_ATTEMPTS: number;
  OUTBOX_LEASE_MS: number;
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
  });
}
