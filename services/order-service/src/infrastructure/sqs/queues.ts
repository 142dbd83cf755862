import type { SQSClient } from '@aws-sdk/client-sqs';
import { QueueKey } from '@oms/contracts';
import type { Logger } from '@oms/platform';
import { ensureQueuesUntilReady, type QueueRef } from '@oms/platform/sqs';

export type OrderServiceQueues = Record<QueueKey, QueueRef>;

export interface QueueNames {
  QUEUE_ORDERS: string;
  QUEUE_ORDERS_PRIORITY: string;
  QUEUE_ORDER_STATUS: string;
}

/**
 * Creates (idempotently) every queue this service talks to. Retries with capped backoff until the
 * broker answers, so the service may start before fauxqs/LocalStack does.
 */
export async function ensureOrderServiceQueues(
  sqs: SQSClient,
  names: QueueNames,
  log: Pick<Logger, 'info' | 'warn'>,
  signal?: AbortSignal,
): Promise<OrderServiceQueues> {
  const queues = {
    [QueueKey.orders]: names.QUEUE_ORDERS,
    [QueueKey.ordersPriority]: names.QUEUE_ORDERS_PRIORITY,
    [QueueKey.orderStatus]: names.QUEUE_ORDER_STATUS,
  };
  return ensureQueuesUntilReady(sqs, queues, log, { signal, backoff: { jitter: false } });
}
