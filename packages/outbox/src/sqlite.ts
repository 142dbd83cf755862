import type { Database, Statement } from 'better-sqlite3';
import type { NewOutboxMessage, OutboxMessage, OutboxStats, OutboxStatus, OutboxStore, PublishFailure } from './types';

/**
 * Idempotent, applied by the constructor. Times are epoch milliseconds. The table is the one both
 * services created before this package existed, so existing files keep working; outbox_claim was
 * the order service's claim index, superseded by the partial outbox_claimable.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  id              TEXT PRIMARY KEY,
  aggregate_id    TEXT NOT NULL,
  type            TEXT NOT NULL,
  destination     TEXT NOT NULL,
  payload         TEXT NOT NULL,
  occurred_at     INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'published', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  locked_until    INTEGER,
  published_at    INTEGER,
  last_error      TEXT
);
DROP INDEX IF EXISTS outbox_claim;
CREATE INDEX IF NOT EXISTS outbox_claimable ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_status_age ON outbox (status, occurred_at);
CREATE INDEX IF NOT EXISTS outbox_aggregate ON outbox (aggregate_id);
`;

/** Added after the table: files made before it get the nullable column at open. */
const TRACEPARENT_COLUMN = 'ALTER TABLE outbox ADD COLUMN traceparent TEXT';

interface OutboxRow {
  id: string;
  aggregate_id: string;
  type: string;
  destination: string;
  payload: string;
  occurred_at: number;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  published_at: number | null;
  last_error: string | null;
  traceparent: string | null;
}

const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

const toMessage = (r: OutboxRow): OutboxMessage => ({
  id: r.id,
  aggregateId: r.aggregate_id,
  type: r.type,
  destination: r.destination,
  payload: r.payload,
  occurredAt: new Date(r.occurred_at),
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at),
  lockedUntil: dateOrNull(r.locked_until),
  publishedAt: dateOrNull(r.published_at),
  lastError: r.last_error,
  traceparent: r.traceparent,
});

/** Rows per multi-row INSERT in insertMany (8 bound values each, far below SQLite's variable limit). */
const INSERT_ROWS = 100;

const claimOrder = (a: OutboxRow, b: OutboxRow) =>
  a.next_attempt_at - b.next_attempt_at || a.occurred_at - b.occurred_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The outbox table of a service's SQLite file (the rules are on OutboxStore). better-sqlite3 is
 * synchronous, so insert() joins whatever transaction the caller has open on the same Database.
 */
export class SqliteOutbox implements OutboxStore {
  private readonly stmt;
  private readonly markFailedTx;
  private readonly insertRows: (rows: number) => Statement;

  constructor(db: Database) {
    db.exec(SCHEMA);
    if (!db.prepare("SELECT 1 FROM pragma_table_info('outbox') WHERE name = 'traceparent'").get()) db.exec(TRACEPARENT_COLUMN);
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      insert: p(`INSERT INTO outbox (id, aggregate_id, type, destination, payload, occurred_at, status, attempts,
          next_attempt_at, traceparent)
        VALUES (@id, @aggregateId, @type, @destination, @payload, @occurredAt, 'pending', 0, @occurredAt, @traceparent)`),
      deleteUnpublished: p(`DELETE FROM outbox WHERE aggregate_id = ? AND status != 'published'`),
      claim: p(`UPDATE outbox SET locked_until = @leaseUntil
        WHERE id IN (SELECT id FROM outbox
          WHERE status = 'pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now)
          ORDER BY next_attempt_at, occurred_at, id LIMIT @limit)
        RETURNING *`),
      markPublished: p(`UPDATE outbox SET status = 'published', published_at = @at, locked_until = NULL, last_error = NULL
        WHERE id IN (SELECT value FROM json_each(@ids))`),
      markFailed: p(`UPDATE outbox SET attempts = attempts + @inc, last_error = @error, locked_until = NULL,
          status = CASE WHEN @nextAttemptAt IS NULL THEN 'failed' ELSE 'pending' END,
          next_attempt_at = COALESCE(@nextAttemptAt, next_attempt_at)
        WHERE id = @id AND status = 'pending'`),
      requeue: p(`UPDATE outbox SET status = 'pending', attempts = 0, locked_until = NULL
        WHERE status = 'failed' AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))`),
      stats: p(`SELECT status, COUNT(*) AS n, MIN(occurred_at) AS oldest FROM outbox
        WHERE status IN ('pending', 'failed') GROUP BY status`),
      list: p('SELECT * FROM outbox WHERE status = ? ORDER BY occurred_at, id LIMIT ?'),
    };
    // Multi-row INSERTs for insertMany, one prepared statement per row count.
    const multi = new Map<number, Statement>();
    const row = "(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)";
    this.insertRows = (rows) => {
      let stmt = multi.get(rows);
      if (!stmt) {
        stmt = p(`INSERT INTO outbox (id, aggregate_id, type, destination, payload, occurred_at, status, attempts,
          next_attempt_at, traceparent) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
        multi.set(rows, stmt);
      }
      return stmt;
    };
    this.markFailedTx = db.transaction((failures: PublishFailure[]) => {
      for (const f of failures) {
        this.stmt.markFailed.run({
          id: f.id,
          error: f.error,
          nextAttemptAt: f.nextAttemptAt?.getTime() ?? null,
          inc: f.countsAsAttempt ? 1 : 0,
        });
      }
    });
  }

  /** Synchronous on purpose: call it inside the caller's db.transaction(). */
  insert(m: NewOutboxMessage): void {
    this.stmt.insert.run({ ...m, occurredAt: m.occurredAt.getTime(), traceparent: m.traceparent ?? null });
  }

  /** Bulk insert, synchronous like insert(): multi-row statements of up to INSERT_ROWS rows. */
  insertMany(messages: NewOutboxMessage[]): void {
    for (let i = 0; i < messages.length; i += INSERT_ROWS) {
      const slice = messages.slice(i, i + INSERT_ROWS);
      const values: unknown[] = [];
      for (const m of slice) {
        const at = m.occurredAt.getTime();
        values.push(m.id, m.aggregateId, m.type, m.destination, m.payload, at, at, m.traceparent ?? null);
      }
      this.insertRows(slice.length).run(values);
    }
  }

  /** Drops an aggregate's rows that were not published yet; synchronous like insert(). */
  deleteUnpublished(aggregateId: string): void {
    this.stmt.deleteUnpublished.run(aggregateId);
  }

  async claimOutboxBatch(opts: { limit: number; now: Date; leaseUntil: Date }): Promise<OutboxMessage[]> {
    const rows = this.stmt.claim.all({
      limit: opts.limit,
      now: opts.now.getTime(),
      leaseUntil: opts.leaseUntil.getTime(),
    }) as OutboxRow[];
    // RETURNING has no defined order; hand rows out in claim order.
    return rows.sort(claimOrder).map(toMessage);
  }

  async markOutboxPublished(ids: string[], at: Date): Promise<void> {
    this.stmt.markPublished.run({ ids: JSON.stringify(ids), at: at.getTime() });
  }

  async markOutboxFailed(failures: PublishFailure[]): Promise<void> {
    this.markFailedTx(failures);
  }

  async requeueFailedOutbox(ids?: string[]): Promise<number> {
    return this.stmt.requeue.run({ ids: ids ? JSON.stringify(ids) : null }).changes;
  }

  async outboxStats(now: Date): Promise<OutboxStats> {
    const rows = this.stmt.stats.all() as { status: OutboxStatus; n: number; oldest: number }[];
    const pending = rows.find((r) => r.status === 'pending');
    const failed = rows.find((r) => r.status === 'failed');
    return {
      pending: pending?.n ?? 0,
      failed: failed?.n ?? 0,
      oldestPendingAgeMs: pending ? Math.max(0, now.getTime() - pending.oldest) : 0,
    };
  }

  async listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]> {
    return (this.stmt.list.all(opts.status, opts.limit) as OutboxRow[]).map(toMessage);
  }
}
