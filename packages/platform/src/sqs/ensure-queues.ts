import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../logger';
import { backoffDelay, sleep, type Backoff } from '../retry';
import { ensureQueue, type QueueRef } from './client';

export class StoppedWaitingForSqs extends Error {
  constructor() {
    super('stopped while waiting for SQS');
  }
}

export interface EnsureQueuesOptions {
  /** Aborting stops the retrying: the call then rejects with StoppedWaitingForSqs. */
  signal?: AbortSignal;
  /** Delay (ms) between attempts; default 500 ms doubling to 10 s, with jitter. */
  backoff?: Partial<Backoff>;
}

/**
 * Creates (idempotently, each with its DLQ) the queues named in `names`, and answers their refs
 * under the same keys. SQS may not be up when a service starts, so every failure is logged and the
 * whole set retried with backoff until SQS answers or `signal` aborts.
 */
export async function ensureQueuesUntilReady<K extends string>(
  sqs: SQSClient,
  names: Readonly<Record<K, string>>,
  log: Pick<Logger, 'info' | 'warn'>,
  { signal, backoff = {} }: EnsureQueuesOptions = {},
): Promise<Record<K, QueueRef>> {
  const keys = Object.keys(names) as K[];
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new StoppedWaitingForSqs();
    try {
      const refs = await Promise.all(keys.map((key) => ensureQueue(sqs, names[key])));
      log.info({ queues: refs.map((r) => r.name) }, 'queues ready');
      return Object.fromEntries(keys.map((key, i) => [key, refs[i]!])) as Record<K, QueueRef>;
    } catch (err) {
      if (signal?.aborted) throw new StoppedWaitingForSqs();
      const retryInMs = backoffDelay(attempt, { base: 500, cap: 10_000, ...backoff });
      log.warn(
        { attempt, retryInMs, error: err instanceof Error ? err.message : String(err) },
        'SQS not reachable yet; retrying queue setup',
      );
      await sleep(retryInMs, signal);
    }
  }
}
