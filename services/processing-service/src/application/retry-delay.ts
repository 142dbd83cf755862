import { backoffDelay } from '@oms/platform';

/**
 * Seconds until a transiently failed message is visible again: base * 2^(receives-1), capped.
 * SQS moves a message to the DLQ after 5 receives, so early retries must not come too fast.
 */
export function retryDelaySec(receiveCount: number, baseSec: number, maxSec: number): number {
  return backoffDelay(receiveCount, { base: baseSec, cap: maxSec, jitter: false });
}
