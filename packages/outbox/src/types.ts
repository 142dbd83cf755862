export type OutboxStatus = 'pending' | 'published' | 'failed';

/** What a use case hands to its store, to be inserted in the same transaction as the state change. */
export interface NewOutboxMessage {
  id: string; // the event id, so consumers can dedupe on it
  aggregateId: string;
  type: string;
  /** Logical destination (a queue key such as "orders-priority"); the publisher maps it to a URL. */
  destination: string;
  /** The serialized event envelope. */
  payload: string;
  occurredAt: Date;
  /** Claimed before every row without it (VIP orders); default false. */
  priority?: boolean;
  /** W3C traceparent of the work that wrote the row; the relay carries it on as a message attribute. */
  traceparent?: string | null;
}

export interface OutboxMessage extends NewOutboxMessage {
  priority: boolean;
  traceparent: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  publishedAt: Date | null;
  lastError: string | null;
}

export interface PublishFailure {
  id: string;
  error: string;
  /** When to try again; null parks the row as `failed` for an operator. */
  nextAttemptAt: Date | null;
  /**
   * false when the broker could not be reached at all: an outage says nothing about the row, so it
   * must not use up the row's attempts (or a long outage would park the whole backlog).
   */
  countsAsAttempt: boolean;
}

/**
 * The port a store implements for the relay. Claiming takes a lease (lockedUntil) so that
 * several relay replicas never hold the same row at once; an expired lease is claimable again.
 * SqliteOutbox ('@oms/outbox/sqlite') and MongoOutbox ('@oms/outbox/mongo') implement it,
 * and test/outbox.contract.ts pins these rules for both:
 * - a new row is pending, attempts 0, nextAttemptAt = occurredAt, no lease;
 * - claimable = pending AND nextAttemptAt <= now AND (no lease OR lockedUntil < now): a lease holds
 *   up to and including lockedUntil, so two relays never both own a row at the boundary instant;
 *   claiming counts no attempt and hands rows out by (priority first, nextAttemptAt, occurredAt, id),
 *   at a cost that depends on the batch, not on the backlog;
 * - the store never reads the clock: every time comes from the caller.
 */
export interface OutboxStore {
  claimOutboxBatch(opts: { limit: number; now: Date; leaseUntil: Date }): Promise<OutboxMessage[]>;
  /** Sets status published and publishedAt, drops the lease and clears lastError. */
  markOutboxPublished(ids: string[], at: Date): Promise<void>;
  /**
   * Counts an attempt (unless countsAsAttempt is false), records lastError, drops the lease; then retries at nextAttemptAt, or parks
   * the row as `failed` (nextAttemptAt unchanged) when that is null. Only pending rows change: a
   * row another relay already published stays published.
   */
  markOutboxFailed(failures: PublishFailure[]): Promise<void>;
  /**
   * Puts parked (`failed`) rows back to pending with attempts 0 and no lease; returns how many.
   * No ids = all of them. nextAttemptAt stays that of the attempt that parked the row, which is
   * past, so the row is due at once; lastError stays until the row is published.
   */
  requeueFailedOutbox(ids?: string[]): Promise<number>;
  outboxStats(now: Date): Promise<OutboxStats>;
  /** Oldest first: (occurredAt, id). */
  listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]>;
  /**
   * Optional push: calls onChange soon after a row becomes claimable (MongoDB change stream), so
   * the relay can be nudged at once. Only a wake-up: the cron sweep stays the guarantee. Keeps
   * watching until stopped: onError reports a failure, after which watching resumes by itself.
   * Returns a function that stops watching.
   */
  watchOutbox?(onChange: () => void, onError?: (err: unknown) => void): () => void;
}

export interface OutboxStats {
  pending: number;
  failed: number;
  /** Age of the oldest pending row in ms, 0 when none. */
  oldestPendingAgeMs: number;
}

export interface PublishResult {
  published: string[];
  /** unavailable: the broker was not reached (network error, 5xx), as opposed to a refused message. */
  failed: { id: string; error: string; unavailable: boolean }[];
}

export interface OutboxPublisher {
  publish(messages: OutboxMessage[]): Promise<PublishResult>;
}
