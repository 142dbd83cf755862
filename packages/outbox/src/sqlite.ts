import type { Database, Statement } from 'better-sqlite3';
import type { NewOutboxMessage, OutboxMessage, OutboxStats, OutboxStatus, OutboxStore, PublishFailure } from './types';

/**
 * Idempotent, applied by the constructor. Times are epoch milliseconds. The table is the one both
 * services created before this package existed, so existing files keep working (MIGRATE adds what
 * they lack). outbox_claim_order serves the claim's exact order for one priority at a time, so a
 * claim reads its batch and no more however large the backlog; it supersedes outbox_claim and
 * outbox_claimable, whose claims sorted every pending row.
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
  last_error      TEXT,
  priority        INTEGER NOT NULL DEFAULT 0,
  traceparent     TEXT
);
`;

const INDEXES = `
DROP INDEX IF EXISTS outbox_claim;
DROP INDEX IF EXISTS outbox_claimable;
CREATE INDEX IF NOT EXISTS outbox_claim_order ON outbox (priority, next_attempt_at, occurred_at, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_status_age ON outbox (status, occurred_at);
CREATE INDEX IF NOT EXISTS outbox_aggregate ON outbox (aggregate_id);
`;

/**
 * Pending and failed rows counted in the transaction that changes them (published rows are not
 * counted), so the statistics behind readiness, the queue monitor and /metrics read two rows
 * instead of counting a backlog that may be a million rows long.
 */
const COUNTS = `
CREATE TABLE outbox_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO outbox_counts (status, n)
  SELECT s.status, (SELECT COUNT(*) FROM outbox WHERE status = s.status) FROM (SELECT 'pending' AS status UNION ALL SELECT 'failed') s;
CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox WHEN NEW.status != 'published' BEGIN
  UPDATE outbox_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox WHEN OLD.status != 'published' BEGIN
  UPDATE outbox_counts SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER outbox_counts_update AFTER UPDATE OF status ON outbox WHEN NEW.status != OLD.status BEGIN
  UPDATE outbox_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE outbox_counts SET n = n + 1 WHERE status = NEW.status;
END;
`;

/** Brings a file made by an earlier version up to SCHEMA, INDEXES and COUNTS, in one transaction. */
function migrate(db: Database): void {
  db.transaction(() => {
    db.exec(SCHEMA);
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('outbox');
    if (!columns.includes('priority')) db.exec('ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0');
    if (!columns.includes('traceparent')) db.exec('ALTER TABLE outbox ADD COLUMN traceparent TEXT');
    db.exec(INDEXES);
    const counted = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox_counts'").get();
    if (!counted) db.exec(COUNTS);
  }).immediate();
}

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
  priority: number;
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
  priority: r.priority === 1,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at),
  lockedUntil: dateOrNull(r.locked_until),
  publishedAt: dateOrNull(r.published_at),
  lastError: r.last_error,
  traceparent: r.traceparent,
});

/** Rows per multi-row INSERT in insertMany (9 bound values each, far below SQLite's variable limit). */
const INSERT_ROWS = 100;

const claimOrder = (a: OutboxRow, b: OutboxRow) =>
  b.priority - a.priority ||
  a.next_attempt_at - b.next_attempt_at ||
  a.occurred_at - b.occurred_at ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The claimable rows of one priority in claim order: a range of outbox_claim_order, read up to the limit. */
const claimable = (priority: 0 | 1) => `SELECT id FROM (SELECT id FROM outbox
  WHERE status = 'pending' AND priority = ${priority} AND next_attempt_at <= @now
    AND (locked_until IS NULL OR locked_until < @now)
  ORDER BY next_attempt_at, occurred_at, id LIMIT @limit)`;

/**
 * The outbox table of a service's SQLite file (the rules are on OutboxStore). better-sqlite3 is
 * synchronous, so insert() joins whatever transaction the caller has open on the same Database.
 */
export class SqliteOutbox implements OutboxStore {
  private readonly stmt;
  private readonly markFailedTx;
  private readonly insertRows: (rows: number) => Statement;

  constructor(db: Database) {
    migrate(db);
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      insert: p(`INSERT INTO outbox (id, aggregate_id, type, destination, payload, occurred_at, status, attempts,
          next_attempt_at, priority, traceparent)
        VALUES (@id, @aggregateId, @type, @destination, @payload, @occurredAt, 'pending', 0, @occurredAt, @priority, @traceparent)`),
      deleteUnpublished: p(`DELETE FROM outbox WHERE aggregate_id = ? AND status != 'published'`),
      // Priority rows first; the normal range is read only when they do not fill the batch.
      claim: p(`UPDATE outbox SET locked_until = @leaseUntil
        WHERE id IN (${claimable(1)} UNION ALL ${claimable(0)} LIMIT @limit)
        RETURNING *`),
      markPublished: p(`UPDATE outbox SET status = 'published', published_at = @at, locked_until = NULL, last_error = NULL
        WHERE id IN (SELECT value FROM json_each(@ids))`),
      markFailed: p(`UPDATE outbox SET attempts = attempts + @inc, last_error = @error, locked_until = NULL,
          status = CASE WHEN @nextAttemptAt IS NULL THEN 'failed' ELSE 'pending' END,
          next_attempt_at = COALESCE(@nextAttemptAt, next_attempt_at)
        WHERE id = @id AND status = 'pending'`),
      requeue: p(`UPDATE outbox SET status = 'pending', attempts = 0, locked_until = NULL
        WHERE status = 'failed' AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))`),
      counts: p('SELECT status, n FROM outbox_counts'),
      oldestPending: p(`SELECT MIN(occurred_at) FROM outbox WHERE status = 'pending'`).pluck(),
      list: p('SELECT * FROM outbox WHERE status = ? ORDER BY occurred_at, id LIMIT ?'),
    };
    // Multi-row INSERTs for insertMany, one prepared statement per row count.
    const multi = new Map<number, Statement>();
    const row = "(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)";
    this.insertRows = (rows) => {
      let stmt = multi.get(rows);
      if (!stmt) {
        stmt = p(`INSERT INTO outbox (id, aggregate_id, type, destination, payload, occurred_at, status, attempts,
          next_attempt_at, priority, traceparent) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
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
    this.stmt.insert.run({ ...m, occurredAt: m.occurredAt.getTime(), priority: m.priority ? 1 : 0, traceparent: m.traceparent ?? null });
  }

  /** Bulk insert, synchronous like insert(): multi-row statements of up to INSERT_ROWS rows. */
  insertMany(messages: NewOutboxMessage[]): void {
    for (let i = 0; i < messages.length; i += INSERT_ROWS) {
      const slice = messages.slice(i, i + INSERT_ROWS);
      const values: unknown[] = [];
      for (const m of slice) {
        const at = m.occurredAt.getTime();
        values.push(m.id, m.aggregateId, m.type, m.destination, m.payload, at, at, m.priority ? 1 : 0, m.traceparent ?? null);
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
    const counts = new Map((this.stmt.counts.all() as { status: OutboxStatus; n: number }[]).map((r) => [r.status, r.n]));
    const oldest = this.stmt.oldestPending.get() as number | null;
    return {
      pending: counts.get('pending') ?? 0,
      failed: counts.get('failed') ?? 0,
      oldestPendingAgeMs: oldest === null ? 0 : Math.max(0, now.getTime() - oldest),
    };
  }

  async listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]> {
    return (this.stmt.list.all(opts.status, opts.limit) as OutboxRow[]).map(toMessage);
  }
}
