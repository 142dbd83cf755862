import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { backoffMs } from '@oms/outbox';
import { ensureQueue, type QueueRef } from '@oms/platform/sqs';
import type { Config } from '../config';
import type { Log } from '../app/process-order';

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
  for (let attempt = 1; ; attempt++) {
    try {
      const [ordersPriority, orders, orderStatus] = await Promise.all([
        ensureQueue(sqs, cfg.QUEUE_ORDERS_PRIORITY),
        ensureQueue(sqs, cfg.QUEUE_ORDERS),
        ensureQueue(sqs, cfg.QUEUE_ORDER_STATUS),
      ]);
      return { ordersPriority, orders, orderStatus };
    } catch (err) {
      const waitMs = backoffMs(attempt, 500, 10_000);
      log.warn({ err: (err as Error).message, attempt, waitMs }, 'SQS not reachable yet; retrying');
      await sleep(waitMs, undefined, { signal });
    }
  }
}
