import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../logger';

/** SQS's answer for a queue URL it does not know (SDK error name, or the query-protocol code). */
export function isQueueMissing(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, Code } = err as { name?: unknown; Code?: unknown };
  return (
    name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue' || Code === 'AWS.SimpleQueueService.NonExistentQueue'
  );
}

/**
 * Re-creates the queues whenever a call on this client is told a queue does not exist: fauxqs and a
 * LocalStack without persistence keep queues in memory, so a broker restart silently drops them.
 * An SDK middleware sees every command (relay sends, receives, deletes, readiness probes), so no
 * caller needs to know. The failed call still fails; its caller's own retry then finds the queue.
 * Re-creation is coalesced: one `ensure()` at a time, however many calls fail meanwhile.
 */
export function recreateMissingQueues(sqs: SQSClient, ensure: () => Promise<unknown>, log: Pick<Logger, 'info' | 'warn'>): void {
  let running: Promise<void> | null = null;
  sqs.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (isQueueMissing(err) && !running) {
          log.warn({ error: (err as Error).message }, 'SQS says a queue does not exist (broker restarted?); re-creating queues');
          running = ensure()
            .then(
              () => log.info({}, 'queues re-created'),
              (e: unknown) => log.warn({ error: e instanceof Error ? e.message : String(e) }, 're-creating queues failed'),
            )
            .finally(() => {
              running = null;
            });
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'recreateMissingQueues' },
  );
}
