import { ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { parseEvent, type OrderStatusChangedEvent } from '@oms/contracts';
import { Consumer } from 'sqs-consumer';
import { applyStatusEvents } from '../app/order-status-updates';
import type { Order, OrderStore } from '../app/ports';

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
export function createStatusConsumer(opts: {
  sqs: SQSClient;
  queueUrl: string;
  store: OrderStore;
  log: Log;
  /** Told about each batch's applied changes with their events (load runs time the processing windows by them). */
  onApplied?: (applied: { event: OrderStatusChangedEvent; order: Order }[]) => void;
}): StatusConsumer {
  const { sqs, queueUrl, store, log, onApplied } = opts;

  /** One store transaction per received batch (up to 10); what cannot be parsed is left for the DLQ. */
  const handleMessageBatch = async (messages: Message[]): Promise<Message[]> => {
    const valid: { message: Message; event: OrderStatusChangedEvent }[] = [];
    for (const message of messages) {
      const parsed = parseEvent(message.Body);
      if (parsed.ok && parsed.event.type === 'order.status-changed') {
        valid.push({ message, event: parsed.event });
        continue;
      }
      const error = parsed.ok ? `unexpected event type ${parsed.event.type}` : parsed.error;
      log.warn({ messageId: message.MessageId, error }, 'malformed order-status message; leaving it for the DLQ');
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
    }
    if (valid.length === 0) return [];
    const updated = await applyStatusEvents(store, valid.map((v) => v.event));
    valid.forEach(({ event }, i) => {
      const fields = { eventId: event.id, orderId: event.data.orderId, status: event.data.status };
      if (updated[i]) log.info(fields, 'order status updated');
      else log.debug(fields, 'stale or duplicate status event ignored');
    });
    onApplied?.(valid.flatMap(({ event }, i) => (updated[i] ? [{ event, order: updated[i] }] : [])));
    return valid.map((v) => v.message);
  };

  const consumer = Consumer.create({
    queueUrl,
    sqs,
    batchSize: 10,
    waitTimeSeconds: 20,
    handleMessageBatch,
    // Bounded wait at shutdown for the batch in hand.
    pollingCompleteWaitTimeMs: 5_000,
  });
  let stopping = false;
  consumer.on('error', (err) => {
    if (!stopping) log.error({ err }, 'order-status consumer error'); // while stopping: our own aborted poll
  });
  consumer.on('processing_error', (err, message) =>
    log.error({ err, messageIds: [message].flat().map((m) => m.MessageId) }, 'order-status batch failed; it will be retried'),
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
