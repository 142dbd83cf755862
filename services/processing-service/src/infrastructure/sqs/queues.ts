import type { SQSClient } from '@aws-sdk/client-sqs';
import { ensureQueuesUntilReady, type QueueRef } from '@oms/platform/sqs';
import type { Config } from '../../config';
import type { Log } from '../../application/ports';

export interface ServiceQueues {
  ordersPriority: QueueRef;
  orders: QueueRef;
  orderStatus: QueueRef;
}

/**
 * Creates the three queues (each with its DLQ) when missing. SQS may not be up yet when this
 * service starts, so it retries with backoff until SQS answers or the signal aborts.
 */
export async function ensureServiceQueues(sqs: SQSClient, cfg: Config, log: Log, signal?: AbortSignal): Promise<ServiceQueues> {
  const queues = { ordersPriority: cfg.QUEUE_ORDERS_PRIORITY, orders: cfg.QUEUE_ORDERS, orderStatus: cfg.QUEUE_ORDER_STATUS };
  return ensureQueuesUntilReady(sqs, queues, log, { signal });
}
