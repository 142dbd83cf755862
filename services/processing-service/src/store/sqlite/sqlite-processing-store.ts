import Database from 'better-sqlite3';
import type { NewOutboxMessage, OutboxMessage, OutboxStats, OutboxStatus, PublishFailure } from '@oms/outbox';
import type { Priority } from '@oms/contracts';
import type { InboxEntry, InboxState, ProcessingStore } from '../../app/ports';
import { SCHEMA } from './schema';

interface InboxRow {
  event_id: string;
  order_id: string;
  priority: string;
  state: string;
  received_at: number;
  email_message_id: string | null;
  emailed_at: number | null;
  completed_at: number | null;
  note: string | null;
  failure_reason: string | null;
  attempts: number;
}

interface OutboxRow {
  id: string;
  aggregate_id: string;
  type: string;
  destination: string;
  payload: string;
  occurred_at: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  published_at: number | null;
  last_error: string | null;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

const toInbox = (r: InboxRow): InboxEntry => ({
  eventId: r.event_id,
  orderId: r.order_id,
  priority: r.priority as Priority,
  state: r.state as InboxState,
  receivedAt: new Date(r.received_at),
  emailMessageId: r.email_message_id,
  emailedAt: date(r.emailed_at),
  completedAt: date(r.completed_at),
  note: r.note,
  failureReason: r.failure_reason,
  attempts: r.attempts,
});

const toOutbox = (r: OutboxRow): OutboxMessage => ({
  id: r.id,
  aggregateId: r.aggregate_id,
  type: r.type,
  destination: r.destination,
  payload: r.payload,
  occurredAt: new Date(r.occurred_at),
  status: r.status as OutboxStatus,
  attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at),
  lockedUntil: date(r.locked_until),
  publishedAt: date(r.published_at),
  lastError: r.last_error,
});

/** better-sqlite3 is synchronous; the async port methods just wrap prepared statements. */
export class SqliteProcessingStore implements ProcessingStore {
  private readonly stmt;
  private readonly tx;

  constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    this.stmt = {
      insertInbox: db.prepare<{ eventId: string; orderId: string; priority: string; receivedAt: number; note: string | null }>(
        `INSERT INTO inbox (event_id, order_id, priority, state, received_at, note)
         VALUES (@eventId, @orderId, @priority, 'processing', @receivedAt, @note)
         ON CONFLICT (event_id) DO NOTHING`,
      ),
      bumpAttempts: db.prepare<[string], InboxRow>(
        'UPDATE inbox SET attempts = attempts + 1 WHERE event_id = ? RETURNING *',
      ),
      getInbox: db.prepare<[string], InboxRow>('SELECT * FROM inbox WHERE event_id = ?'),
      emailSent: db.prepare<{ eventId: string; messageId: string; at: number }>(
        `UPDATE inbox SET state = 'emailed', email_message_id = @messageId, emailed_at = @at
         WHERE event_id = @eventId AND state = 'processing'`,
      ),
      complete: db.prepare<{ eventId: string; state: string; at: number; reason: string | null }>(
        `UPDATE inbox SET state = @state, completed_at = @at, failure_reason = @reason
         WHERE event_id = @eventId AND state IN ('processing', 'emailed')`,
      ),
      insertOutbox: db.prepare<{
        id: string; aggregateId: string; type: string; destination: string; payload: string; occurredAt: number;
      }>(
        `INSERT INTO outbox (id, aggregate_id, type, destination, payload, occurred_at, next_attempt_at)
         VALUES (@id, @aggregateId, @type, @destination, @payload, @occurredAt, @occurredAt)`,
      ),
      claim: db.prepare<{ now: number; leaseUntil: number; limit: number }, OutboxRow>(
        `UPDATE outbox SET locked_until = @leaseUntil
         WHERE id IN (
           SELECT id FROM outbox
           WHERE status = 'pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until <= @now)
           ORDER BY next_attempt_at, occurred_at LIMIT @limit)
         RETURNING *`,
      ),
      published: db.prepare<{ id: string; at: number }>(
        `UPDATE outbox SET status = 'published', published_at = @at, locked_until = NULL, last_error = NULL
         WHERE id = @id`,
      ),
      failed: db.prepare<{ id: string; error: string; next: number | null }>(
        `UPDATE outbox SET attempts = attempts + 1, last_error = @error, locked_until = NULL,
           status = CASE WHEN @next IS NULL THEN 'failed' ELSE 'pending' END,
           next_attempt_at = COALESCE(@next, next_attempt_at)
         WHERE id = @id`,
      ),
      requeueOne: db.prepare<{ id: string; now: number }>(
        `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = @now, locked_until = NULL
         WHERE id = @id AND status = 'failed'`,
      ),
      requeueAll: db.prepare<{ now: number }>(
        `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = @now, locked_until = NULL
         WHERE status = 'failed'`,
      ),
      count: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE status = ?'),
      oldestPending: db.prepare<[], { t: number | null }>(
        "SELECT MIN(occurred_at) AS t FROM outbox WHERE status = 'pending'",
      ),
      list: db.prepare<[string, number], OutboxRow>(
        'SELECT * FROM outbox WHERE status = ? ORDER BY occurred_at, id LIMIT ?',
      ),
      ping: db.prepare('SELECT 1'),
    };
    const insertOutbox = (m: NewOutboxMessage) =>
      this.stmt.insertOutbox.run({ ...m, occurredAt: m.occurredAt.getTime() });
    this.tx = {
      begin: db.transaction(
        (e: Parameters<ProcessingStore['beginProcessing']>[0], event: NewOutboxMessage) => {
          const inserted = this.stmt.insertInbox.run({
            eventId: e.eventId,
            orderId: e.orderId,
            priority: e.priority,
            receivedAt: e.receivedAt.getTime(),
            note: e.note,
          });
          if (inserted.changes === 1) {
            insertOutbox(event);
            return { created: true, entry: toInbox(this.stmt.getInbox.get(e.eventId)!) };
          }
          return { created: false, entry: toInbox(this.stmt.bumpAttempts.get(e.eventId)!) };
        },
      ),
      complete: db.transaction(
        (eventId: string, o: { state: string; at: Date; failureReason: string | null }, event: NewOutboxMessage) => {
          const res = this.stmt.complete.run({ eventId, state: o.state, at: o.at.getTime(), reason: o.failureReason });
          // Completing twice must not emit a second final status event.
          if (res.changes === 1) insertOutbox(event);
        },
      ),
      published: db.transaction((ids: string[], at: number) => {
        for (const id of ids) this.stmt.published.run({ id, at });
      }),
      failed: db.transaction((failures: PublishFailure[]) => {
        for (const f of failures) {
          this.stmt.failed.run({ id: f.id, error: f.error, next: f.nextAttemptAt?.getTime() ?? null });
        }
      }),
      requeue: db.transaction((ids: string[], now: number) => {
        let n = 0;
        for (const id of ids) n += this.stmt.requeueOne.run({ id, now }).changes;
        return n;
      }),
    };
  }

  async beginProcessing(
    entry: Parameters<ProcessingStore['beginProcessing']>[0],
    statusEvent: NewOutboxMessage,
  ): Promise<{ created: boolean; entry: InboxEntry }> {
    return this.tx.begin.immediate(entry, statusEvent);
  }

  async recordEmailSent(eventId: string, messageId: string, at: Date): Promise<void> {
    this.stmt.emailSent.run({ eventId, messageId, at: at.getTime() });
  }

  async completeProcessing(
    eventId: string,
    outcome: { state: 'done' | 'failed'; at: Date; failureReason: string | null },
    statusEvent: NewOutboxMessage,
  ): Promise<void> {
    this.tx.complete.immediate(eventId, outcome, statusEvent);
  }

  async getInbox(eventId: string): Promise<InboxEntry | null> {
    const row = this.stmt.getInbox.get(eventId);
    return row ? toInbox(row) : null;
  }

  async claimOutboxBatch(opts: { limit: number; now: Date; leaseUntil: Date }): Promise<OutboxMessage[]> {
    const rows = this.stmt.claim.all({ now: opts.now.getTime(), leaseUntil: opts.leaseUntil.getTime(), limit: opts.limit });
    // RETURNING gives no order guarantee; publish oldest first.
    return rows.map(toOutbox).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  }

  async markOutboxPublished(ids: string[], at: Date): Promise<void> {
    this.tx.published(ids, at.getTime());
  }

  async markOutboxFailed(failures: PublishFailure[]): Promise<void> {
    this.tx.failed(failures);
  }

  async requeueFailedOutbox(ids?: string[]): Promise<number> {
    const now = Date.now();
    return ids ? this.tx.requeue(ids, now) : this.stmt.requeueAll.run({ now }).changes;
  }

  async outboxStats(now: Date): Promise<OutboxStats> {
    const oldest = this.stmt.oldestPending.get()?.t ?? null;
    return {
      pending: this.stmt.count.get('pending')!.n,
      failed: this.stmt.count.get('failed')!.n,
      oldestPendingAgeMs: oldest === null ? 0 : Math.max(0, now.getTime() - oldest),
    };
  }

  async listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]> {
    return this.stmt.list.all(opts.status, opts.limit).map(toOutbox);
  }

  async ping(): Promise<void> {
    this.stmt.ping.get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
