import { PurgeQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueKey } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import type { OrderServiceQueues } from '../infrastructure/sqs/queues';

/** Empties the order queues for a load-run reset (SQS allows one purge per queue per minute). */
export async function purgeOrderQueues(sqs: SQSClient, queues: OrderServiceQueues | null): Promise<void> {
  if (!queues) return;
  const keys = [QueueKey.orders, QueueKey.ordersPriority, QueueKey.orderStatus] as const;
  await Promise.all(keys.map((key) => sqs.send(new PurgeQueueCommand({ QueueUrl: queues[key].url }))));
}

/** The naive baseline's inline send (BENCH_NAIVE_PUBLISH): one SendMessage per order, like the outbox publisher's attributes. */
export async function sendInline(sqs: SQSClient, queues: OrderServiceQueues | null, m: NewOutboxMessage): Promise<void> {
  const queue = queues?.[m.destination as QueueKey];
  if (!queue) throw new Error(`no queue for ${m.destination} yet`);
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queue.url,
      MessageBody: m.payload,
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: m.type },
        eventId: { DataType: 'String', StringValue: m.id },
      },
    }),
  );
}
