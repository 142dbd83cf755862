import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueRef } from '@oms/platform/sqs';
import { AppError } from '../../application/shared/errors';
import type { QueueAdmin, QueueDepth } from '../../application/operations/queue-monitor';

const SQS_BATCH = 10;
/** Long enough to send and delete a batch; a message we fail to move comes back after it. */
const REDRIVE_VISIBILITY_SEC = 30;

const count = (attrs: Record<string, string> | undefined, name: string): number => Number(attrs?.[name] ?? 0);

/**
 * Queue monitor on SQS: depths from GetQueueAttributes, and DLQ redrive done by hand (receive from
 * the DLQ, SendMessageBatch to the source, DeleteMessageBatch what was sent), because fauxqs and
 * LocalStack lack StartMessageMoveTask. A crash between send and delete leaves a copy in the DLQ:
 * at-least-once, like everything else here; consumers dedupe on the event id.
 *
 * `names` are the configured source queues; `queues()` yields their refs once the service has set
 * them up (null before, which answers 503).
 */
// Long by design: one small object (names, depths, redrive) sharing the queue-ref lookup and attribute reads.
export function createSqsQueueAdmin(sqs: SQSClient, names: string[], queues: () => QueueRef[] | null): QueueAdmin {
  const refs = (): QueueRef[] => {
    const known = queues();
    if (!known) throw new AppError(503, 'Service Unavailable', 'queues-not-ready', 'the queues are not set up yet; try again shortly');
    return known;
  };
  const attributes = async (url: string) =>
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      )
    ).Attributes;
  const dlqNameOf = (ref: QueueRef) => ref.dlqUrl.slice(ref.dlqUrl.lastIndexOf('/') + 1);

  return {
    names: () => [...names],

    async depths(): Promise<QueueDepth[]> {
      return Promise.all(
        refs().map(async (ref) => {
          const [main, dlq] = await Promise.all([attributes(ref.url), attributes(ref.dlqUrl)]);
          return {
            name: ref.name,
            visible: count(main, 'ApproximateNumberOfMessages'),
            inFlight: count(main, 'ApproximateNumberOfMessagesNotVisible'),
            delayed: count(main, 'ApproximateNumberOfMessagesDelayed'),
            dlq: { name: dlqNameOf(ref), visible: count(dlq, 'ApproximateNumberOfMessages') },
          };
        }),
      );
    },

    async redrive(name: string, max: number): Promise<number> {
      const ref = refs().find((r) => r.name === name);
      if (!ref) throw new AppError(503, 'Service Unavailable', 'queues-not-ready', `queue ${name} is not set up yet`);
      let moved = 0;
      while (moved < max) {
        const { Messages: messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: ref.dlqUrl,
            MaxNumberOfMessages: Math.min(SQS_BATCH, max - moved),
            VisibilityTimeout: REDRIVE_VISIBILITY_SEC,
            // Real SQS may answer a short poll empty while messages exist; a one-second wait avoids that.
            WaitTimeSeconds: moved === 0 ? 1 : 0,
            MessageAttributeNames: ['All'],
          }),
        );
        if (messages.length === 0) break;
        const sent = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: ref.url,
            Entries: messages.map((m, i) => ({
              Id: String(i),
              MessageBody: m.Body ?? '',
              ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0 && { MessageAttributes: m.MessageAttributes }),
            })),
          }),
        );
        const ok = (sent.Successful ?? []).map((s) => messages[Number(s.Id)]).filter((m) => m?.ReceiptHandle !== undefined);
        if (ok.length > 0) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: ref.dlqUrl,
              Entries: ok.map((m, i) => ({ Id: String(i), ReceiptHandle: m!.ReceiptHandle })),
            }),
          );
        }
        moved += ok.length;
        // A send that failed stays in the DLQ (visible again after the timeout); stop rather than spin on it.
        if (ok.length < messages.length) break;
      }
      return moved;
    },
  };
}
