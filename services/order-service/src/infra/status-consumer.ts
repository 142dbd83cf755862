import { ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { parseEvent } from '@oms/contracts';
import { Consumer } from 'sqs-consumer';
import { applyStatusEvent } from '../app/order-status-updates';
import type { OrderStore } from '../app/ports';

interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface StatusConsumer {
  start(): void;
  /** Stops polling and waits (bounded) for messages in hand to finish. */
  stop(): Promise<void>;
}

/**
 * Consumes `order.status-changed` events from the order-status queue. Applied or stale -> deleted;
 * malformed -> made visible again at once so it reaches the DLQ after the receive limit;
 * a store failure -> left alone to come back after the visibility timeout.
 */
export function createStatusConsumer(opts: { sqs: SQSClient; queueUrl: string; store: OrderStore; log: Log }): StatusConsumer {
  const { sqs, queueUrl, store, log } = opts;

  const handleMessage = async (message: Message): Promise<Message | undefined> => {
    const parsed = parseEvent(message.Body);
    if (!parsed.ok || parsed.event.type !== 'order.status-changed') {
      const error = parsed.ok ? `unexpected event type ${parsed.event.type}` : parsed.error;
      log.warn({ messageId: message.MessageId, error }, 'malformed order-status message; leaving it for the DLQ');
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
      return undefined;
    }
    const event = parsed.event;
    const updated = await applyStatusEvent(store, event);
    const fields = { eventId: event.id, orderId: event.data.orderId, status: event.data.status };
    if (updated) log.info(fields, 'order status updated');
    else log.debug(fields, 'stale or duplicate status event ignored');
    return message;
  };

  const consumer = Consumer.create({
    queueUrl,
    sqs,
    batchSize: 10,
    waitTimeSeconds: 20,
    handleMessage,
    // Bounded wait at shutdown for the batch in hand.
    pollingCompleteWaitTimeMs: 5_000,
  });
  let stopping = false;
  consumer.on('error', (err) => {
    if (!stopping) log.error({ err }, 'order-status consumer error'); // while stopping: our own aborted poll
  });
  consumer.on('processing_error', (err, message) =>
    log.error({ err, messageId: message.MessageId }, 'order-status message failed; it will be retried'),
  );

  return {
    start: () => consumer.start(),
    async stop() {
      if (!consumer.status.isRunning) return;
      stopping = true;
      const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()));
      consumer.stop({ abort: true });
      await stopped;
    },
  };
}
