import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { failSpan, startSpan, traceparentOf, withoutTracing } from '@oms/platform';
import type { OutboxMessage, OutboxPublisher, PublishResult } from './types';

const SQS_BATCH_LIMIT = 10;

/**
 * Publishes outbox rows with SendMessageBatch, 10 per call, grouped by destination queue. A row
 * written inside a trace gets a `publish <destination>` span in that trace, and its message a
 * `traceparent` attribute naming that span, so the consumer continues the same trace.
 */
export class SqsOutboxPublisher implements OutboxPublisher {
  constructor(
    private readonly sqs: SQSClient,
    /** destination key -> queue URL */
    private readonly resolveUrl: (destination: string) => string,
  ) {}

  async publish(messages: OutboxMessage[]): Promise<PublishResult> {
    const result: PublishResult = { published: [], failed: [] };
    const byDestination = new Map<string, OutboxMessage[]>();
    for (const m of messages) {
      const list = byDestination.get(m.destination) ?? [];
      list.push(m);
      byDestination.set(m.destination, list);
    }
    const calls: Promise<void>[] = [];
    for (const [destination, list] of byDestination) {
      for (let i = 0; i < list.length; i += SQS_BATCH_LIMIT) {
        calls.push(this.sendChunk(destination, list.slice(i, i + SQS_BATCH_LIMIT), result));
      }
    }
    await Promise.all(calls);
    return result;
  }

  private async sendChunk(destination: string, chunk: OutboxMessage[], result: PublishResult): Promise<void> {
    const spans = chunk.map((m) =>
      m.traceparent
        ? startSpan(`publish ${destination}`, {
            kind: 'producer',
            parent: m.traceparent,
            attributes: {
              'messaging.system': 'aws_sqs',
              'messaging.message.id': m.id,
              'oms.aggregate_id': m.aggregateId,
              'oms.attempts': m.attempts,
            },
          })
        : null,
    );
    try {
      // The entries carry their own traces: the SDK instrumentation would stamp its one span over all of them.
      const res = await withoutTracing(() =>
        this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.resolveUrl(destination),
            // Entry ids must be short and [A-Za-z0-9_-]; the index maps back to the row.
            Entries: chunk.map((m, i) => {
              // Not traced here (tracing off): the row's own context passes through unchanged.
              const traceparent = spans[i] ? (traceparentOf(spans[i]) ?? m.traceparent) : null;
              return {
                Id: String(i),
                MessageBody: m.payload,
                MessageAttributes: {
                  eventType: { DataType: 'String', StringValue: m.type },
                  eventId: { DataType: 'String', StringValue: m.id },
                  ...(traceparent && { traceparent: { DataType: 'String', StringValue: traceparent } }),
                },
              };
            }),
          }),
        ),
      );
      for (const ok of res.Successful ?? []) result.published.push(chunk[Number(ok.Id)]!.id);
      for (const bad of res.Failed ?? []) {
        const error = `${bad.Code}: ${bad.Message ?? ''}`;
        result.failed.push({ id: chunk[Number(bad.Id)]!.id, error, unavailable: bad.SenderFault === false });
        const span = spans[Number(bad.Id)];
        if (span) failSpan(span, error);
      }
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const unavailable = brokerUnavailable(err);
      for (const m of chunk) result.failed.push({ id: m.id, error, unavailable });
      for (const span of spans) if (span) failSpan(span, err);
    } finally {
      for (const span of spans) span?.end();
    }
  }
}

/** No HTTP answer at all (refused, reset, timeout) or a server-side 5xx: the broker, not the message. */
export function brokerUnavailable(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}
