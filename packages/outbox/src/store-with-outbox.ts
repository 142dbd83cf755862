import type { OutboxMessage, OutboxStats, OutboxStatus, OutboxStore, PublishFailure } from './types';

/**
 * Base of a service store that keeps its outbox in a SqliteOutbox or MongoOutbox: it answers the
 * relay's OutboxStore port by forwarding to that outbox, and its own transactions use
 * `this.outbox.insert(...)`.
 */
export abstract class StoreWithOutbox<O extends OutboxStore> implements OutboxStore {
  /** Present only when the outbox can push (MongoDB change streams). */
  readonly watchOutbox?: (onChange: () => void, onError?: (err: unknown) => void) => () => void;

  constructor(protected readonly outbox: O) {
    if (outbox.watchOutbox) this.watchOutbox = outbox.watchOutbox.bind(outbox);
  }

  claimOutboxBatch(opts: { limit: number; now: Date; leaseUntil: Date }): Promise<OutboxMessage[]> {
    return this.outbox.claimOutboxBatch(opts);
  }

  markOutboxPublished(ids: string[], at: Date): Promise<void> {
    return this.outbox.markOutboxPublished(ids, at);
  }

  markOutboxFailed(failures: PublishFailure[]): Promise<void> {
    return this.outbox.markOutboxFailed(failures);
  }

  requeueFailedOutbox(ids?: string[]): Promise<number> {
    return this.outbox.requeueFailedOutbox(ids);
  }

  outboxStats(now: Date): Promise<OutboxStats> {
    return this.outbox.outboxStats(now);
  }

  listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]> {
    return this.outbox.listOutbox(opts);
  }
}
