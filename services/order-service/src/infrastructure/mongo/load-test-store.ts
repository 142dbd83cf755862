import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { LoadRunDto } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import type { MongoOutbox } from '@oms/outbox/mongo';
import { ensureCollection, TRANSACTION_OPTIONS } from '@oms/platform/mongo';
import type { LoadRunRecord, LoadTestStore } from '../../loadtest/ports';
import type { Order } from '../../domain/order';
import { toOrderDoc, type OrderDoc, type UserDoc } from './documents';

interface LoadRunDoc {
  _id: string;
  startedAt: Date;
  run: unknown;
}

const loadRunSchema = new Schema<LoadRunDoc>(
  {
    _id: { type: String, required: true },
    startedAt: { type: Date, required: true },
    run: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, strictQuery: 'throw' },
);
loadRunSchema.index({ startedAt: -1, _id: -1 }, { name: 'load_runs_started' });

/** Orders deleted per round trip when wiping generated data. */
const PURGE_BATCH = 10_000;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Mirrors store/sqlite/load-test-store.ts: chunked insertMany in one transaction per chunk. */
export class MongoLoadTestStore implements LoadTestStore {
  private constructor(
    private readonly conn: Connection,
    private readonly users: Model<UserDoc>,
    private readonly orders: Model<OrderDoc>,
    private readonly outbox: MongoOutbox,
    private readonly runs: Model<LoadRunDoc>,
  ) {}

  /** Creates the load_runs collection and its index (outside any transaction). */
  static async open(conn: Connection, users: Model<UserDoc>, orders: Model<OrderDoc>, outbox: MongoOutbox): Promise<MongoLoadTestStore> {
    const runs = conn.model<LoadRunDoc>('LoadRun', loadRunSchema, 'load_runs');
    await ensureCollection(runs);
    return new MongoLoadTestStore(conn, users, orders, outbox, runs);
  }

  async bulkInsertOrders(orders: Order[], outbox: NewOutboxMessage[]): Promise<void> {
    const docs = orders.map((o) => toOrderDoc(o, { idempotencyKey: null, requestHash: '' }));
    await this.conn.transaction(async (session) => {
      // lean: the documents are built by our own mapping; skipping hydration is most of insertMany's cost.
      await this.orders.insertMany(docs, { session, lean: true });
      await this.outbox.insertMany(outbox, session);
    }, TRANSACTION_OPTIONS);
  }

  /** Not one transaction (a million rows would exceed its limits): batches, each outbox rows first. */
  async purgeOrdersOfEmailDomain(domain: string): Promise<number> {
    const users = await this.users
      .find({ email: mongoose.trusted({ $regex: `@${escapeRegex(domain.toLowerCase())}$` }) })
      .select({ _id: 1 })
      .lean()
      .exec();
    const userIds = users.map((u) => u._id);
    if (userIds.length === 0) return 0;
    let deleted = 0;
    for (;;) {
      const batch = await this.orders
        .find({ userId: mongoose.trusted({ $in: userIds }) })
        .select({ _id: 1 })
        .limit(PURGE_BATCH)
        .lean()
        .exec();
      if (batch.length === 0) return deleted;
      const ids = batch.map((o) => o._id);
      await this.outbox.deleteForAggregates(ids);
      deleted += (await this.orders.deleteMany({ _id: mongoose.trusted({ $in: ids }) })).deletedCount;
    }
  }

  async saveLoadRun(record: LoadRunRecord): Promise<void> {
    await this.runs.replaceOne({ _id: record.id }, { _id: record.id, startedAt: record.startedAt, run: record.run }, { upsert: true });
  }

  async listLoadRuns(limit: number): Promise<LoadRunRecord[]> {
    const docs = await this.runs.find().sort({ startedAt: -1, _id: -1 }).limit(limit).lean().exec();
    return docs.map((d) => ({ id: d._id, startedAt: d.startedAt, run: LoadRunDto.parse(d.run) }));
  }
}
