import { randomUUID } from 'node:crypto';
import mongoose, { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import { database, ensureCollection } from '@oms/platform/mongo';
import { keepWatching } from './keep-watching';
import type { NewOutboxMessage, OutboxMessage, OutboxStats, OutboxStatus, OutboxStore, PublishFailure } from './types';

/** The stored row: the port's message, keyed by its event id; leaseToken names the claim that holds it. */
export type OutboxDoc = Omit<OutboxMessage, 'id'> & { _id: string; leaseToken?: string | null };

export interface MongoOutboxOptions {
  /** Published rows are deleted by a TTL index this long after publishing. Default 72. */
  retentionHours?: number;
  /**
   * outboxStats' pending and failed counts are at most this old (ms by the callers' clock). Default
   * 5000: counting a million-row backlog walks a million index keys, so readiness, the queue monitor
   * and /metrics share one count per interval instead of one per poll.
   */
  statsCacheMs?: number;
}

export const DEFAULT_OUTBOX_STATS_CACHE_MS = 5_000;

export const DEFAULT_OUTBOX_RETENTION_HOURS = 72;

const TTL_INDEX = 'outbox_published_ttl';

export const newOutboxDoc = (m: NewOutboxMessage): OutboxDoc => ({
  _id: m.id,
  aggregateId: m.aggregateId,
  type: m.type,
  destination: m.destination,
  payload: m.payload,
  occurredAt: m.occurredAt,
  priority: m.priority ?? false,
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
  priority: d.priority ?? false,
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

/** The order rows are claimed in (priority rows first; true sorts above false), and listed in. */
export const CLAIM_ORDER = { priority: -1, nextAttemptAt: 1, occurredAt: 1, _id: 1 } as const;
export const AGE_ORDER = { occurredAt: 1, _id: 1 } as const;

/** Indexes replaced by the ones below (their keys could not serve the queries' sorts). */
const RETIRED_INDEXES = ['outbox_claim', 'outbox_status_age', 'outbox_claim_order'];

function outboxSchema(retentionHours: number): Schema<OutboxDoc> {
  const schema = new Schema<OutboxDoc>(
    {
      _id: { type: String, required: true },
      aggregateId: { type: String, required: true },
      type: { type: String, required: true },
      destination: { type: String, required: true },
      payload: { type: String, required: true },
      occurredAt: { type: Date, required: true },
      priority: { type: Boolean, default: false },
      traceparent: { type: String, default: null },
      status: { type: String, enum: ['pending', 'published', 'failed'], required: true },
      attempts: { type: Number, required: true },
      nextAttemptAt: { type: Date, required: true },
      lockedUntil: { type: Date, default: null },
      publishedAt: { type: Date, default: null },
      lastError: { type: String, default: null },
      leaseToken: { type: String, default: null },
    },
    { versionKey: false, strictQuery: 'throw' },
  );
  // Each key ends with the full sort of its query: with a shorter key the server sorts every row
  // of the status in memory (a blocking sort) before it can return the first.
  schema.index({ status: 1, ...CLAIM_ORDER }, { name: 'outbox_claim_priority_order' });
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

/** The collection's indexes; none while the collection does not exist yet (NamespaceNotFound). */
async function existingIndexes(model: Model<OutboxDoc>) {
  try {
    return await model.collection.indexes();
  } catch (err) {
    if (err instanceof mongoose.mongo.MongoServerError && err.code === 26) return [];
    throw err;
  }
}

/**
 * A service's outbox collection on MongoDB (the rules are on OutboxStore). Claiming is three round
 * trips whatever the batch size: the ids in claim order, one updateMany that sets a lease token on
 * those still claimable (a compare-and-set per row, so two relay replicas never hold the same row
 * at once), and a read of the rows carrying that token.
 */
export class MongoOutbox implements OutboxStore {
  private counts: { at: number; value: Promise<{ pending: number; failed: number }> } | null = null;

  private constructor(
    private readonly model: Model<OutboxDoc>,
    private readonly statsCacheMs: number,
  ) {}

  /**
   * Creates the collection and its indexes (never inside a transaction). A changed retention is
   * applied to the existing TTL index with collMod, because createIndexes refuses a same-named
   * index with new options.
   */
  static async open(conn: Connection, collection: string, opts: MongoOutboxOptions = {}): Promise<MongoOutbox> {
    const retentionHours = opts.retentionHours ?? DEFAULT_OUTBOX_RETENTION_HOURS;
    const model = conn.model<OutboxDoc>(collection, outboxSchema(retentionHours), collection);
    const expireAfterSeconds = Math.round(retentionHours * 3600);
    const indexes = await existingIndexes(model);
    const ttl = indexes.find((i) => i.name === TTL_INDEX);
    if (ttl && ttl.expireAfterSeconds !== expireAfterSeconds) {
      await database(conn).command({ collMod: collection, index: { name: TTL_INDEX, expireAfterSeconds } });
    }
    for (const name of RETIRED_INDEXES) if (indexes.some((i) => i.name === name)) await model.collection.dropIndex(name);
    await ensureCollection(model);
    return new MongoOutbox(model, opts.statsCacheMs ?? DEFAULT_OUTBOX_STATS_CACHE_MS);
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
    const candidates = await this.model.find(claimFilter(opts.now)).sort(CLAIM_ORDER).limit(opts.limit).select({ _id: 1 }).lean().exec();
    if (candidates.length === 0) return [];
    const ids = mongoose.trusted({ $in: candidates.map((c) => c._id) });
    const leaseToken = randomUUID();
    // A row another relay claimed in between no longer matches claimFilter and stays its.
    await this.model.updateMany({ _id: ids, ...claimFilter(opts.now) }, { $set: { lockedUntil: opts.leaseUntil, leaseToken } });
    const docs = await this.model.find({ _id: ids, leaseToken }).lean().exec();
    const rank = new Map(candidates.map((c, i) => [c._id, i]));
    return docs.sort((a, b) => rank.get(a._id)! - rank.get(b._id)!).map(toOutboxMessage);
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
    const res = await this.model.updateMany(ids ? { status: 'failed', _id: mongoose.trusted({ $in: ids }) } : { status: 'failed' }, {
      $set: { status: 'pending', attempts: 0, lockedUntil: null },
    });
    return res.modifiedCount;
  }

  async outboxStats(now: Date): Promise<OutboxStats> {
    const t = now.getTime();
    if (!this.counts || t - this.counts.at >= this.statsCacheMs || t < this.counts.at) {
      const value = Promise.all([this.model.countDocuments({ status: 'pending' }), this.model.countDocuments({ status: 'failed' })]).then(
        ([pending, failed]) => ({ pending, failed }),
      );
      const entry = { at: t, value };
      this.counts = entry;
      // A failed count is not remembered: the next call asks again.
      value.catch(() => {
        if (this.counts === entry) this.counts = null;
      });
    }
    const [counts, oldest] = await Promise.all([
      this.counts.value,
      // The oldest pending row is the first key of outbox_status_age_order: always fresh.
      this.model.findOne({ status: 'pending' }).sort(AGE_ORDER).select({ occurredAt: 1 }).lean().exec(),
    ]);
    return { ...counts, oldestPendingAgeMs: oldest ? Math.max(0, t - oldest.occurredAt.getTime()) : 0 };
  }

  async listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]> {
    const docs = await this.model.find({ status: opts.status }).sort(AGE_ORDER).limit(opts.limit).lean().exec();
    return docs.map(toOutboxMessage);
  }

  /**
   * Wakes the relay when a row becomes claimable: an insert, or a row put back to pending. A stream
   * that fails for good is reported and reopened (keepWatching), never left closed.
   */
  watchOutbox(onChange: () => void, onError?: (err: unknown) => void): () => void {
    const pipeline = [
      {
        $match: {
          $or: [{ operationType: 'insert' }, { operationType: 'update', 'updateDescription.updatedFields.status': 'pending' }],
        },
      },
      // Only the wake-up matters: without this every inserted row's payload would be streamed here.
      { $project: { operationType: 1 } },
    ];
    return keepWatching(() => this.model.watch(pipeline), onChange, onError);
  }
}
