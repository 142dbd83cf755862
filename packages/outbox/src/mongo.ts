import mongoose, { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import { database } from '@oms/platform/src/mongo';
import type { NewOutboxMessage, OutboxMessage, OutboxStats, OutboxStatus, OutboxStore, PublishFailure } from './types';

/** The stored row: the port's message, keyed by its event id. */
export type OutboxDoc = Omit<OutboxMessage, 'id'> & { _id: string };

export interface MongoOutboxOptions {
  /** Published rows are deleted by a TTL index this long after publishing. Default 72. */
  retentionHours?: number;
}

export const DEFAULT_OUTBOX_RETENTION_HOURS = 72;

const TTL_INDEX = 'outbox_published_ttl';

export const newOutboxDoc = (m: NewOutboxMessage): OutboxDoc => ({
  _id: m.id,
  aggregateId: m.aggregateId,
  type: m.type,
  destination: m.destination,
  payload: m.payload,
  occurredAt: m.occurredAt,
  traceparent: m.traceparent ?? null,
  status: 'pending',
  attempts: 0,
  nextAttemptAt: m.occurredAt,
  lockedUntil: null,
  publishedAt: null,
  lastError: null,
});

export const toOutboxMessage = (d: OutboxDoc): OutboxMessage => ({
  id: d._id,
  aggregateId: d.aggregateId,
  type: d.type,
  destination: d.destination,
  payload: d.payload,
  occurredAt: d.occurredAt,
  traceparent: d.traceparent ?? null,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt,
  lockedUntil: d.lockedUntil ?? null,
  publishedAt: d.publishedAt ?? null,
  lastError: d.lastError ?? null,
});

/** Claimable: pending, due, and not under a lease (a lease holds through lockedUntil itself). */
export const claimFilter = (now: Date) => ({
  status: 'pending' as const,
  nextAttemptAt: mongoose.trusted({ $lte: now }),
  $or: [{ lockedUntil: null }, { lockedUntil: mongoose.trusted({ $lt: now }) }],
});

/** The update markOutboxFailed applies to one pending row: retry later, or park it as `failed`. */
export function failureUpdate(f: PublishFailure): { $inc: { attempts: 0 | 1 }; $set: Partial<OutboxDoc> } {
  return {
    $inc: { attempts: f.countsAsAttempt ? 1 : 0 },
    $set: f.nextAttemptAt
      ? { status: 'pending', lastError: f.error, lockedUntil: null, nextAttemptAt: f.nextAttemptAt }
      : { status: 'failed', lastError: f.error, lockedUntil: null },
  };
}

/** The order rows are claimed in, and listed in. */
export const CLAIM_ORDER = { nextAttemptAt: 1, occurredAt: 1, _id: 1 } as const;
export const AGE_ORDER = { occurredAt: 1, _id: 1 } as const;

/** Indexes replaced by the ones below (their keys could not serve the queries' sorts). */
const RETIRED_INDEXES = ['outbox_claim', 'outbox_status_age'];

function outboxSchema(retentionHours: number): Schema<OutboxDoc> {
  const schema = new Schema<OutboxDoc>(
    {
      _id: { type: String, required: true },
      aggregateId: { type: String, required: true },
      type: { type: String, required: true },
      destination: { type: String, required: true },
      payload: { type: String, required: true },
      occurredAt: { type: Date, required: true },
      traceparent: { type: String, default: null },
      status: { type: String, enum: ['pending', 'published', 'failed'], required: true },
      attempts: { type: Number, required: true },
      nextAttemptAt: { type: Date, required: true },
      lockedUntil: { type: Date, default: null },
      publishedAt: { type: Date, default: null },
      lastError: { type: String, default: null },
    },
    { versionKey: false, strictQuery: 'throw' },
  );
  // Each key ends with the full sort of its query: with a shorter key the server sorts every row
  // of the status in memory (a blocking sort) before it can return the first.
  schema.index({ status: 1, ...CLAIM_ORDER }, { name: 'outbox_claim_order' });
  schema.index({ status: 1, ...AGE_ORDER }, { name: 'outbox_status_age_order' });
  schema.index({ aggregateId: 1 }, { name: 'outbox_aggregate' });
  schema.index(
    { publishedAt: 1 },
    {
      name: TTL_INDEX,
      expireAfterSeconds: Math.round(retentionHours * 3600),
      partialFilterExpression: { status: 'published' },
    },
  );
  return schema;
}

/**
 * A service's outbox collection on MongoDB (the rules are on OutboxStore). Claiming is one
 * findOneAndUpdate per row, each an atomic compare-and-set of the lease, so two relay replicas
 * never hold the same row at once.
 */
export class MongoOutbox implements OutboxStore {
  private constructor(private readonly model: Model<OutboxDoc>) {}

  /**
   * Creates the collection and its indexes (never inside a transaction). A changed retention is
   * applied to the existing TTL index with collMod, because createIndexes refuses a same-named
   * index with new options.
   */
  static async open(conn: Connection, collection: string, opts: MongoOutboxOptions = {}): Promise<MongoOutbox> {
    const retentionHours = opts.retentionHours ?? DEFAULT_OUTBOX_RETENTION_HOURS;
    const model = conn.model<OutboxDoc>(collection, outboxSchema(retentionHours), collection);
    await model.createCollection();
    const expireAfterSeconds = Math.round(retentionHours * 3600);
    const indexes = await model.collection.indexes();
    const ttl = indexes.find((i) => i.name === TTL_INDEX);
    if (ttl && ttl.expireAfterSeconds !== expireAfterSeconds) {
      await database(conn).command({ collMod: collection, index: { name: TTL_INDEX, expireAfterSeconds } });
    }
    for (const name of RETIRED_INDEXES) if (indexes.some((i) => i.name === name)) await model.collection.dropIndex(name);
    await model.createIndexes();
    return new MongoOutbox(model);
  }

  /** Inserts inside the caller's transaction (create() takes a session only in array form). */
  async insert(message: NewOutboxMessage, session: ClientSession): Promise<void> {
    await this.model.create([newOutboxDoc(message)], { session });
  }

  /** Bulk insert inside the caller's transaction. */
  async insertMany(messages: NewOutboxMessage[], session: ClientSession): Promise<void> {
    if (messages.length === 0) return;
    await this.model.insertMany(messages.map(newOutboxDoc), { session, lean: true });
  }

  /** Drops every row (published or not) of these aggregates; for wiping generated test data. */
  async deleteForAggregates(aggregateIds: string[]): Promise<void> {
    if (aggregateIds.length === 0) return;
    await this.model.deleteMany({ aggregateId: mongoose.trusted({ $in: aggregateIds }) });
  }

  /** Drops an aggregate's rows that were not published yet, inside the caller's transaction. */
  async deleteUnpublished(aggregateId: string, session: ClientSession): Promise<void> {
    await this.model.deleteMany({ aggregateId, status: mongoose.trusted({ $ne: 'published' }) }, { session });
  }

  async claimOutboxBatch(opts: { limit: number; now: Date; leaseUntil: Date }): Promise<OutboxMessage[]> {
    const claimed: OutboxMessage[] = [];
    while (claimed.length < opts.limit) {
      const doc = await this.model
        .findOneAndUpdate(
          claimFilter(opts.now),
          { $set: { lockedUntil: opts.leaseUntil } },
          { sort: CLAIM_ORDER, returnDocument: 'after', lean: true },
        )
        .exec();
      if (!doc) break;
      claimed.push(toOutboxMessage(doc));
    }
    return claimed;
  }

  async markOutboxPublished(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.model.updateMany(
      { _id: mongoose.trusted({ $in: ids }) },
      { $set: { status: 'published', publishedAt: at, lockedUntil: null, lastError: null } },
    );
  }

  async markOutboxFailed(failures: PublishFailure[]): Promise<void> {
    if (failures.length === 0) return;
    await this.model.bulkWrite(
      failures.map((f) => ({ updateOne: { filter: { _id: f.id, status: 'pending' }, update: failureUpdate(f) } })),
      { ordered: false },
    );
  }

  async requeueFailedOutbox(ids?: string[]): Promise<number> {
    const res = await this.model.updateMany(
      ids ? { status: 'failed', _id: mongoose.trusted({ $in: ids }) } : { status: 'failed' },
      { $set: { status: 'pending', attempts: 0, lockedUntil: null } },
    );
    return res.modifiedCount;
  }

  async outboxStats(now: Date): Promise<OutboxStats> {
    const [pending, failed, oldest] = await Promise.all([
      this.model.countDocuments({ status: 'pending' }),
      this.model.countDocuments({ status: 'failed' }),
      this.model.findOne({ status: 'pending' }).sort({ occurredAt: 1 }).select({ occurredAt: 1 }).lean().exec(),
    ]);
    return { pending, failed, oldestPendingAgeMs: oldest ? Math.max(0, now.getTime() - oldest.occurredAt.getTime()) : 0 };
  }

  async listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]> {
    const docs = await this.model.find({ status: opts.status }).sort(AGE_ORDER).limit(opts.limit).lean().exec();
    return docs.map(toOutboxMessage);
  }

  /** Wakes the relay when a row becomes claimable: an insert, or a row put back to pending. */
  watchOutbox(onChange: () => void, onError?: (err: unknown) => void): () => void {
    const stream = this.model.watch([
      {
        $match: {
          $or: [
            { operationType: 'insert' },
            { operationType: 'update', 'updateDescription.updatedFields.status': 'pending' },
          ],
        },
      },
      // Only the wake-up matters: without this every inserted row's payload would be streamed here.
      { $project: { operationType: 1 } },
    ]);
    stream.on('change', () => onChange());
    stream.on('error', (err: unknown) => {
      onError?.(err);
      void stream.close().catch(() => undefined);
    });
    return () => void stream.close().catch(() => undefined);
  }
}
