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
}

export interface OutboxMessage extends NewOutboxMessage {
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
}

/**
 * The port a store implements for the relay. Claiming takes a lease (lockedUntil) so that
 * several relay replicas never hold the same row at once; an expired lease is claimable again.
 */
export interface OutboxStore {
  claimOutboxBatch(opts: { limit: number; now: Date; leaseUntil: Date }): Promise<OutboxMessage[]>;
  markOutboxPublished(ids: string[], at: Date): Promise<void>;
  markOutboxFailed(failures: PublishFailure[]): Promise<void>;
  /** Puts parked (`failed`) rows back to pending; returns how many. No ids = all of them. */
  requeueFailedOutbox(ids?: string[]): Promise<number>;
  outboxStats(now: Date): Promise<OutboxStats>;
  listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]>;
  /**
   * Optional push: calls onChange soon after a row becomes claimable (MongoDB change stream), so
   * the relay can be nudged at once. Only a wake-up: the cron sweep stays the guarantee.
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
  failed: { id: string; error: string }[];
}

export interface OutboxPublisher {
  publish(messages: OutboxMessage[]): Promise<PublishResult>;
}
