import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxMessage, OutboxPublisher, PublishResult } from './types';

const SQS_BATCH_LIMIT = 10;

/** Publishes outbox rows with SendMessageBatch, 10 per call, grouped by destination queue. */
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
    try {
      const res = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.resolveUrl(destination),
          // Entry ids must be short and [A-Za-z0-9_-]; the index maps back to the row.
          Entries: chunk.map((m, i) => ({
            Id: String(i),
            MessageBody: m.payload,
            MessageAttributes: {
              eventType: { DataType: 'String', StringValue: m.type },
              eventId: { DataType: 'String', StringValue: m.id },
            },
          })),
        }),
      );
      for (const ok of res.Successful ?? []) result.published.push(chunk[Number(ok.Id)]!.id);
      for (const bad of res.Failed ?? []) {
        const error = `${bad.Code}: ${bad.Message ?? ''}`;
        result.failed.push({ id: chunk[Number(bad.Id)]!.id, error, unavailable: bad.SenderFault === false });
      }
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const unavailable = brokerUnavailable(err);
      for (const m of chunk) result.failed.push({ id: m.id, error, unavailable });
    }
  }
}

/** No HTTP answer at all (refused, reset, timeout) or a server-side 5xx: the broker, not the message. */
export function brokerUnavailable(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}
