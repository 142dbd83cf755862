import type { SQSClient } from '@aws-sdk/client-sqs';
import { QueueKey } from '@oms/contracts';
import { ensureQueue, type QueueRef } from '@oms/platform/sqs';

export type OrderServiceQueues = Record<QueueKey, QueueRef>;

export interface QueueNames {
  QUEUE_ORDERS: string;
  QUEUE_ORDERS_PRIORITY: string;
  QUEUE_ORDER_STATUS: string;
}

interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * Creates (idempotently) every queue this service talks to. Retries with capped backoff until the
 * broker answers, so the service may start before fauxqs/LocalStack does.
 */
export async function ensureOrderServiceQueues(
  sqs: SQSClient,
  names: QueueNames,
  log: Log,
  signal?: AbortSignal,
): Promise<OrderServiceQueues> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [orders, ordersPriority, orderStatus] = await Promise.all([
        ensureQueue(sqs, names.QUEUE_ORDERS),
        ensureQueue(sqs, names.QUEUE_ORDERS_PRIORITY),
        ensureQueue(sqs, names.QUEUE_ORDER_STATUS),
      ]);
      log.info({ queues: [orders.name, ordersPriority.name, orderStatus.name] }, 'queues ready');
      return { [QueueKey.orders]: orders, [QueueKey.ordersPriority]: ordersPriority, [QueueKey.orderStatus]: orderStatus };
    } catch (err) {
      if (signal?.aborted) throw new Error('stopped while waiting for SQS');
      const delayMs = Math.min(10_000, 500 * 2 ** (attempt - 1));
      log.warn(
        { attempt, retryInMs: delayMs, error: err instanceof Error ? err.message : String(err) },
        'SQS not reachable yet; retrying queue setup',
      );
      await sleep(delayMs, signal);
      if (signal?.aborted) throw new Error('stopped while waiting for SQS');
    }
  }
}
