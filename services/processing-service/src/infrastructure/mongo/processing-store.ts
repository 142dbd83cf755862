import mongoose, { type Connection, type Model } from 'mongoose';
import { StoreWithOutbox, type NewOutboxMessage } from '@oms/outbox';
import type { MongoOutbox } from '@oms/outbox/mongo';
import { database, TRANSACTION_OPTIONS } from '@oms/platform/mongo';
import type { InboxEntry, ProcessingStore } from '../../application/ports';
import { firstDeliveryFields, toInboxEntry, type InboxDoc } from './inbox';

/** Mirrors the SQLite adapter method by method; every multi-write step is one transaction. */
export class MongoProcessingStore extends StoreWithOutbox<MongoOutbox> implements ProcessingStore {
  constructor(
    private readonly conn: Connection,
    private readonly inbox: Model<InboxDoc>,
    outbox: MongoOutbox,
  ) {
    super(outbox);
  }

  async beginProcessing(entry: Parameters<ProcessingStore['beginProcessing']>[0]): Promise<{ created: boolean; entry: InboxEntry }> {
    // One upsert either inserts the row (first delivery) or bumps attempts (redelivery).
    const res = await this.inbox
      .findOneAndUpdate(
        { _id: entry.eventId },
        { $setOnInsert: firstDeliveryFields(entry), $inc: { attempts: 1 } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true, lean: true },
      )
      .exec();
    if (!res.value) throw new Error(`inbox upsert for ${entry.eventId} returned no document`);
    return { created: res.lastErrorObject?.upserted !== undefined, entry: toInboxEntry(res.value) };
  }

  async announceProcessing(eventId: string, statusEvent: NewOutboxMessage): Promise<boolean> {
    return this.conn.transaction(async (session) => {
      // A write, not a read: under snapshot isolation a read of the row would not stop a completion
      // committing meanwhile, and this PROCESSING would then land after the final status. Writing
      // the row makes the two transactions conflict, so one of them retries and sees the other.
      const open = await this.inbox.updateOne(
        { _id: eventId, state: mongoose.trusted({ $in: ['processing', 'emailed'] }) },
        { $inc: { announcements: 1 } },
        { session },
      );
      if (open.matchedCount === 0) return false;
      await this.outbox.insert(statusEvent, session);
      return true;
    }, TRANSACTION_OPTIONS);
  }

  async recordEmailSent(eventId: string, messageId: string, at: Date): Promise<void> {
    await this.inbox.updateOne(
      { _id: eventId, state: 'processing' },
      { $set: { state: 'emailed', emailMessageId: messageId, emailedAt: at } },
    );
  }

  async completeProcessing(
    eventId: string,
    outcome: { state: 'done' | 'failed'; at: Date; failureReason: string | null },
    statusEvent: NewOutboxMessage,
  ): Promise<void> {
    await this.conn.transaction(async (session) => {
      const res = await this.inbox.updateOne(
        { _id: eventId, state: mongoose.trusted({ $in: ['processing', 'emailed'] }) },
        { $set: { state: outcome.state, completedAt: outcome.at, failureReason: outcome.failureReason } },
        { session },
      );
      // Completing twice must not emit a second final status event.
      if (res.modifiedCount === 1) await this.outbox.insert(statusEvent, session);
    }, TRANSACTION_OPTIONS);
  }

  async getInbox(eventId: string): Promise<InboxEntry | null> {
    const doc = await this.inbox.findById(eventId).lean().exec();
    return doc ? toInboxEntry(doc) : null;
  }

  async ping(): Promise<void> {
    await database(this.conn).command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
