import { ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { parseEvent, type OrderStatusChangedEvent } from '@oms/contracts';
import { failSpan, startSpan, withSpan, type Logger } from '@oms/platform';
import { Consumer } from 'sqs-consumer';
import { applyStatusEvents } from '../../application/orders/order-status-updates';
import type { Order } from '../../domain/order';
import type { OrderRepository } from '../../application/orders/ports';

type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface StatusConsumer {
  start(): void;
  /**
   * Stops as the processing service's poller does: no new receive, the poll in flight is waited out
   * (not aborted: that would strand what SQS already handed it), the batch in hand is applied and
   * deleted, and anything received after the stop began goes back to the queue at once.
   */
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
  store: OrderRepository;
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
      await sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }),
      );
    }
    if (valid.length === 0) return [];
    // One span per event, in the trace its message carries: the batch is one transaction, the orders are not one trace.
    const spans = valid.map(({ message, event }) =>
      startSpan('apply order.status-changed', {
        kind: 'consumer',
        parent: message.MessageAttributes?.traceparent?.StringValue ?? null,
        attributes: { 'messaging.message.id': event.id, 'oms.order_id': event.data.orderId, 'oms.status': event.data.status },
      }),
    );
    let updated;
    try {
      updated = await applyStatusEvents(
        store,
        valid.map((v) => v.event),
      );
    } catch (err) {
      for (const span of spans) failSpan(span, err);
      throw err;
    } finally {
      for (const span of spans) span.end();
    }
    valid.forEach(({ event }, i) => {
      const fields = { eventId: event.id, orderId: event.data.orderId, status: event.data.status };
      withSpan(spans[i]!, () => {
        if (updated[i]) log.info(fields, 'order status updated');
        else log.debug(fields, 'stale or duplicate status event ignored');
      });
    });
    onApplied?.(valid.flatMap(({ event }, i) => (updated[i] ? [{ event, order: updated[i] }] : [])));
    return valid.map((v) => v.message);
  };

  /** Received after the stop began: made visible again at once for another replica (or the next start), not applied. */
  const release = async (messages: Message[]): Promise<Message[]> => {
    const Entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    await sqs
      .send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries }))
      .catch((err: unknown) =>
        log.warn({ err, count: messages.length }, 'could not release order-status messages; they return after the visibility timeout'),
      );
    return [];
  };

  let stopping = false;
  const consumer = Consumer.create({
    queueUrl,
    sqs,
    batchSize: 10,
    // Short, because a stop waits the poll out: an empty receive every 2 s while idle.
    waitTimeSeconds: 2,
    messageAttributeNames: ['traceparent'],
    handleMessageBatch: (messages) => (stopping ? release(messages) : handleMessageBatch(messages)),
    // Covers the last poll plus the batch in hand; 'stopped' comes as soon as both are done.
    pollingCompleteWaitTimeMs: 10_000,
  });
  consumer.on('error', (err) => log.error({ err }, 'order-status consumer error'));
  consumer.on('processing_error', (err, message) =>
    log.error({ err, messageIds: [message].flat().map((m) => m.MessageId) }, 'order-status batch failed; it will be retried'),
  );

  return {
    start: () => consumer.start(),
    async stop() {
      if (!consumer.status.isRunning) return;
      stopping = true;
      const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()));
      // Not { abort: true }: its signal also cancels the DeleteMessageBatch of the batch in hand.
      consumer.stop();
      await stopped;
    },
  };
}
