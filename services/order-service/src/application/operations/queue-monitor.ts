import type { OutboxMessage, OutboxStats, OutboxStatus, OutboxStore } from '@oms/outbox';
import { PROBE_TIMEOUT_MS, withTimeout } from '@oms/platform';
import { AppError, NotFoundError } from '../shared/errors';

export interface QueueDepth {
  /** The physical queue name, as SQS knows it. */
  name: string;
  /** ApproximateNumberOfMessages: waiting to be received. */
  visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received, not yet deleted. */
  inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  delayed: number;
  dlq: { name: string; visible: number };
}

/** The broker side of the queue monitor; infra/sqs-queue-admin.ts implements it on SQS. */
export interface QueueAdmin {
  /** The source queues this service owns, by physical name; only these may be redriven. */
  names(): string[];
  depths(): Promise<QueueDepth[]>;
  /** Moves at most `max` messages from the queue's DLQ back to the queue; returns how many moved. */
  redrive(name: string, max: number): Promise<number>;
}

/** At most this many messages per redrive call, so one click is one bounded request. */
export const REDRIVE_MAX_PER_CALL = 100;

/**
 * Relay lag: how long committed events wait before SQS has them. It is the commit-to-publish
 * delay of the latest batch this process's relay published (the slowest row of that batch), or the
 * age of the oldest pending outbox row when that is larger, so a stalled relay shows a growing lag
 * rather than its last good figure. 0 when nothing was published yet and nothing is pending.
 */
export class RelayLag {
  private lastBatchMs = 0;

  /** Fed by the relay's onPublished hook with each published row's commit-to-publish age. */
  record(agesMs: readonly number[]): void {
    if (agesMs.length > 0) this.lastBatchMs = Math.max(...agesMs);
  }

  current(outbox: OutboxStats): number {
    return Math.max(this.lastBatchMs, outbox.oldestPendingAgeMs);
  }
}

export interface QueueOverview {
  queues: QueueDepth[];
  /** Why `queues` is empty when the broker could not be asked. */
  queuesError?: string;
  outbox: OutboxStats;
  relayLagMs: number;
}

export interface QueueMonitorDeps {
  queueAdmin: QueueAdmin | null;
  outbox: OutboxStore;
  relayLag: RelayLag;
  now: () => Date;
}

/** The outbox figures come from the database even when the broker is down, which is when they matter most. */
export async function queueOverview(deps: QueueMonitorDeps): Promise<QueueOverview> {
  const outbox = await deps.outbox.outboxStats(deps.now());
  const relayLagMs = deps.relayLag.current(outbox);
  if (!deps.queueAdmin) return { queues: [], queuesError: 'no queue broker is configured', outbox, relayLagMs };
  try {
    // A hung broker shows as queuesError instead of hanging the monitor page.
    return { queues: await withTimeout(deps.queueAdmin.depths(), PROBE_TIMEOUT_MS), outbox, relayLagMs };
  } catch (err) {
    return { queues: [], queuesError: err instanceof Error ? err.message : String(err), outbox, relayLagMs };
  }
}

export async function redriveQueue(queueAdmin: QueueAdmin | null, name: string): Promise<number> {
  if (!queueAdmin) throw new AppError(503, 'Service Unavailable', 'no-queue-broker', 'no queue broker is configured');
  if (!queueAdmin.names().includes(name)) {
    throw new NotFoundError('queue-not-found', `no queue named ${name}; known: ${queueAdmin.names().join(', ')}`);
  }
  return queueAdmin.redrive(name, REDRIVE_MAX_PER_CALL);
}

export const listOutbox = (outbox: OutboxStore, status: OutboxStatus, limit: number): Promise<OutboxMessage[]> =>
  outbox.listOutbox({ status, limit });

/** Parked rows go back to pending (all of them without ids); the relay is nudged to publish them now. */
export async function requeueOutbox(deps: { outbox: OutboxStore; nudgeRelay: () => void }, ids?: string[]): Promise<number> {
  const requeued = await deps.outbox.requeueFailedOutbox(ids);
  if (requeued > 0) deps.nudgeRelay();
  return requeued;
}
