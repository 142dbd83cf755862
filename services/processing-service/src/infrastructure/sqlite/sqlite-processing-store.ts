import type Database from 'better-sqlite3';
import { StoreWithOutbox, type NewOutboxMessage } from '@oms/outbox';
import { SqliteOutbox } from '@oms/outbox/sqlite';
import { GroupCommit } from '@oms/platform/sqlite';
import type { Priority } from '@oms/contracts';
import type { InboxEntry, InboxState, ProcessingStore } from '../../application/ports';
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

/**
 * better-sqlite3 is synchronous; the async port methods wrap prepared statements. The inbox steps
 * of the messages handled in one event-loop turn share one commit (GroupCommit).
 */
export class SqliteProcessingStore extends StoreWithOutbox<SqliteOutbox> implements ProcessingStore {
  private readonly stmt;
  private readonly writes: GroupCommit;

  constructor(private readonly db: Database.Database) {
    super(new SqliteOutbox(db));
    db.exec(SCHEMA);
    this.stmt = {
      insertInbox: db.prepare<{ eventId: string; orderId: string; priority: string; receivedAt: number; note: string | null }>(
        `INSERT INTO inbox (event_id, order_id, priority, state, received_at, note)
         VALUES (@eventId, @orderId, @priority, 'processing', @receivedAt, @note)
         ON CONFLICT (event_id) DO NOTHING`,
      ),
      bumpAttempts: db.prepare<[string], InboxRow>('UPDATE inbox SET attempts = attempts + 1 WHERE event_id = ? RETURNING *'),
      getInbox: db.prepare<[string], InboxRow>('SELECT * FROM inbox WHERE event_id = ?'),
      emailSent: db.prepare<{ eventId: string; messageId: string; at: number }>(
        `UPDATE inbox SET state = 'emailed', email_message_id = @messageId, emailed_at = @at
         WHERE event_id = @eventId AND state = 'processing'`,
      ),
      complete: db.prepare<{ eventId: string; state: string; at: number; reason: string | null }>(
        `UPDATE inbox SET state = @state, completed_at = @at, failure_reason = @reason
         WHERE event_id = @eventId AND state IN ('processing', 'emailed')`,
      ),
      ping: db.prepare('SELECT 1'),
    };
    this.writes = new GroupCommit(db);
  }

  async beginProcessing(e: Parameters<ProcessingStore['beginProcessing']>[0]): Promise<{ created: boolean; entry: InboxEntry }> {
    return this.writes.run(() => {
      const inserted = this.stmt.insertInbox.run({
        eventId: e.eventId,
        orderId: e.orderId,
        priority: e.priority,
        receivedAt: e.receivedAt.getTime(),
        note: e.note,
      });
      if (inserted.changes === 1) return { created: true, entry: toInbox(this.stmt.getInbox.get(e.eventId)!) };
      return { created: false, entry: toInbox(this.stmt.bumpAttempts.get(e.eventId)!) };
    });
  }

  async announceProcessing(eventId: string, statusEvent: NewOutboxMessage): Promise<boolean> {
    return this.writes.run(() => {
      const state = this.stmt.getInbox.get(eventId)?.state;
      if (state !== 'processing' && state !== 'emailed') return false;
      this.outbox.insert(statusEvent);
      return true;
    });
  }

  async recordEmailSent(eventId: string, messageId: string, at: Date): Promise<void> {
    await this.writes.run(() => this.stmt.emailSent.run({ eventId, messageId, at: at.getTime() }));
  }

  async completeProcessing(
    eventId: string,
    o: { state: 'done' | 'failed'; at: Date; failureReason: string | null },
    statusEvent: NewOutboxMessage,
  ): Promise<void> {
    await this.writes.run(() => {
      const res = this.stmt.complete.run({ eventId, state: o.state, at: o.at.getTime(), reason: o.failureReason });
      // Completing twice must not emit a second final status event.
      if (res.changes === 1) this.outbox.insert(statusEvent);
    });
  }

  async getInbox(eventId: string): Promise<InboxEntry | null> {
    const row = this.stmt.getInbox.get(eventId);
    return row ? toInbox(row) : null;
  }

  async ping(): Promise<void> {
    this.stmt.ping.get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
