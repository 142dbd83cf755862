import mongoose, { type Connection, type Model } from 'mongoose';
import { StoreWithOutbox } from '@oms/outbox';
import type { MongoOutbox } from '@oms/outbox/mongo';
import type { Tier } from '@oms/contracts';
import type { MongoLoadTestStore } from './load-test-store';
import { database, isDuplicateKey, TRANSACTION_OPTIONS } from '@oms/platform/mongo';
import { DuplicateKeyError } from '../../application/shared/errors';
import type { AdminOrderQuery, PlaceOrderRequest, PlaceOrderResult, StatusChange } from '../../application/orders/ports';
import type { Order } from '../../domain/order';
import type { LoadTestableStore } from '../../loadtest/ports';
import type { Page, PageRequest } from '../../application/shared/page';
import type { Product } from '../../domain/product';
import type { ProductPatch } from '../../application/catalog/ports';
import type { RefreshToken } from '../../application/identity/ports';
import type { User } from '../../domain/user';
import type { OrderEvent, OrderEventPage, OrderEventType } from '../../application/order-feed/order-events';
import {
  toOrder,
  toOrderDoc,
  toOrderEventDoc,
  toProduct,
  toProductDoc,
  toRefreshToken,
  toRefreshTokenDoc,
  toUser,
  toUserDoc,
  type OrderDoc,
  type OrderEventDoc,
  type ProductDoc,
  type RateLimitDoc,
  type RefreshTokenDoc,
  type UserDoc,
} from './documents';
import { adminOrderFilter, afterCursor, idempotencyKeyFilter, NEWEST_FIRST, toPage } from './queries';

type InsufficientStock = Extract<PlaceOrderResult, { kind: 'insufficient-stock' }>;

/** Thrown inside the order transaction to abort every write, carrying the answer out. */
class Shortfall extends Error {
  constructor(readonly result: InsufficientStock) {
    super('insufficient stock');
  }
}

export interface OrderServiceModels {
  users: Model<UserDoc>;
  refreshTokens: Model<RefreshTokenDoc>;
  products: Model<ProductDoc>;
  orders: Model<OrderDoc>;
  orderEvents: Model<OrderEventDoc>;
  rateLimits: Model<RateLimitDoc>;
}

/** Sequence counters: { _id: 'order_events', seq }. */
const COUNTERS = 'order_counters';
const ORDER_EVENTS = 'order_events';

/** Mirrors the SQLite adapter method by method. */
export class MongoOrderStore extends StoreWithOutbox<MongoOutbox> implements LoadTestableStore {
  private readonly m: OrderServiceModels;

  constructor(
    private readonly conn: Connection,
    models: OrderServiceModels,
    outbox: MongoOutbox,
    readonly loadTest: MongoLoadTestStore,
  ) {
    super(outbox);
    this.m = models;
  }

  // ---- users

  async createUser(user: User): Promise<void> {
    try {
      await this.m.users.create(toUserDoc(user));
    } catch (err) {
      if (isDuplicateKey(err, 'users_email')) throw new DuplicateKeyError('email');
      throw err;
    }
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const doc = await this.m.users.findOne({ email }).lean().exec();
    return doc ? toUser(doc) : null;
  }

  async findUserById(id: string): Promise<User | null> {
    const doc = await this.m.users.findById(id).lean().exec();
    return doc ? toUser(doc) : null;
  }

  async changePasswordHash(userId: string, passwordHash: string, now: Date): Promise<boolean> {
    // Hash first: a crash in between leaves old sessions alive, never the old password working.
    const changed = await this.m.users.updateOne({ _id: userId }, { $set: { passwordHash } }).exec();
    if (changed.matchedCount === 0) return false;
    await this.m.refreshTokens.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: now } }).exec();
    return true;
  }

  // ---- refresh tokens

  async insertRefreshToken(token: RefreshToken): Promise<void> {
    await this.m.refreshTokens.create(toRefreshTokenDoc(token));
  }

  /** One atomic compare-and-set marks a live token used; only on a miss is the row read to say why. */
  async consumeRefreshToken(tokenHash: string, now: Date): Promise<{ token: RefreshToken; reused: boolean } | null> {
    const used = await this.m.refreshTokens
      .findOneAndUpdate(
        { _id: tokenHash, usedAt: null, revokedAt: null, expiresAt: mongoose.trusted({ $gt: now }) },
        { $set: { usedAt: now } },
        { returnDocument: 'after', lean: true },
      )
      .exec();
    if (used) return { token: toRefreshToken(used), reused: false };
    const doc = await this.m.refreshTokens.findById(tokenHash).lean().exec();
    if (doc && doc.revokedAt === null && doc.usedAt !== null) return { token: toRefreshToken(doc), reused: true };
    return null;
  }

  async revokeRefreshFamily(familyId: string, now: Date): Promise<void> {
    await this.m.refreshTokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: now } });
  }

  // ---- products

  async createProduct(product: Product): Promise<void> {
    try {
      await this.m.products.create(toProductDoc(product));
    } catch (err) {
      if (isDuplicateKey(err, 'products_sku')) throw new DuplicateKeyError('sku');
      throw err;
    }
  }

  async updateProduct(id: string, patch: ProductPatch, now: Date): Promise<Product | null> {
    const set: Partial<ProductDoc> = { updatedAt: now };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.priceCents !== undefined) set.priceCents = patch.priceCents;
    if (patch.currency !== undefined) set.currency = patch.currency;
    if (patch.stock !== undefined) set.stock = patch.stock;
    const doc = await this.m.products
      .findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', runValidators: true, lean: true })
      .exec();
    return doc ? toProduct(doc) : null;
  }

  async getProduct(id: string): Promise<Product | null> {
    const doc = await this.m.products.findById(id).lean().exec();
    return doc ? toProduct(doc) : null;
  }

  async listProducts(page: PageRequest): Promise<Page<Product>> {
    const docs = await this.m.products
      .find(afterCursor(page.after))
      .sort(NEWEST_FIRST)
      .limit(page.limit + 1)
      .lean()
      .exec();
    return toPage(docs, page.limit, toProduct);
  }

  // ---- orders

  async placeOrder(req: PlaceOrderRequest): Promise<PlaceOrderResult> {
    try {
      // withTransaction under the hood: retried whole on TransientTransactionError, so the callback only reads and writes.
      return await this.conn.transaction((session) => this.placeOrderInTx(req, session), TRANSACTION_OPTIONS);
    } catch (err) {
      if (err instanceof Shortfall) return err.result;
      // A concurrent request with the same key committed first: answer as its replay would.
      if (req.idempotencyKey !== null && isDuplicateKey(err, 'orders_idempotency')) {
        const prior = await this.m.orders.findOne(idempotencyKeyFilter(req.userId, req.idempotencyKey)).lean().exec();
        if (prior) return replayOf(prior, req);
      }
      throw err;
    }
  }

  private async placeOrderInTx(req: PlaceOrderRequest, session: mongoose.ClientSession): Promise<PlaceOrderResult> {
    if (req.idempotencyKey !== null) {
      const prior = await this.m.orders.findOne(idempotencyKeyFilter(req.userId, req.idempotencyKey)).session(session).lean().exec();
      if (prior) return replayOf(prior, req);
    }

    const ids = req.items.map((i) => i.productId);
    const found = await this.m.products
      .find({ _id: mongoose.trusted({ $in: ids }) })
      .session(session)
      .lean()
      .exec();
    const byId = new Map(found.map((d) => [d._id, toProduct(d)]));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) return { kind: 'unknown-products', productIds: unknown };
    const products = ids.map((id) => byId.get(id)).filter((p): p is Product => p !== undefined);

    // One at a time: operations inside a transaction must not run in parallel.
    const short: InsufficientStock['lines'] = [];
    for (const [i, { productId, quantity }] of req.items.entries()) {
      const res = await this.m.products.updateOne(
        { _id: productId, stock: mongoose.trusted({ $gte: quantity }) },
        { $inc: { stock: -quantity } },
        { session },
      );
      if (res.matchedCount === 0) short.push({ productId, requested: quantity, available: products[i]?.stock ?? 0 });
    }
    if (short.length > 0) throw new Shortfall({ kind: 'insufficient-stock', lines: short });

    const { order, outbox } = req.compose(products);
    await this.m.orders.create([toOrderDoc(order, req)], { session });
    if (!req.skipOutbox) await this.outbox.insert(outbox, session);
    await this.recordEvent('order.created', order, session);
    return { kind: 'created', order };
  }

  /**
   * Appends to the change feed inside the caller's transaction. The counter document is written
   * by every such transaction, so they conflict on it and commit one after another: sequence order
   * is commit order, and a reader polling by sequence never sees a later event before an earlier.
   */
  private async recordEvent(type: OrderEventType, order: Order, session: mongoose.ClientSession): Promise<void> {
    const counter = await database(this.conn)
      .collection<{ _id: string; seq: number }>(COUNTERS)
      .findOneAndUpdate({ _id: ORDER_EVENTS }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', session });
    if (!counter) throw new Error('order event counter not returned');
    await this.m.orderEvents.create([toOrderEventDoc(counter.seq, type, order, new Date())], { session });
  }

  async getOrder(id: string): Promise<Order | null> {
    const doc = await this.m.orders.findById(id).lean().exec();
    return doc ? toOrder(doc) : null;
  }

  async listOrdersForUser(userId: string, page: PageRequest): Promise<Page<Order>> {
    const docs = await this.m.orders
      .find({ userId, ...afterCursor(page.after) })
      .sort(NEWEST_FIRST)
      .limit(page.limit + 1)
      .lean()
      .exec();
    return toPage(docs, page.limit, toOrder);
  }

  async searchOrders(query: AdminOrderQuery): Promise<Page<Order>> {
    const docs = await this.m.orders
      .find(adminOrderFilter(query))
      .sort(NEWEST_FIRST)
      .limit(query.limit + 1)
      .lean()
      .exec();
    return toPage(docs, query.limit, toOrder);
  }

  async applyStatusChange(change: StatusChange): Promise<Order | null> {
    const [updated] = await this.applyStatusChanges([change]);
    return updated ?? null;
  }

  /** One transaction; the changes run one after another, as operations inside a transaction must. */
  async applyStatusChanges(changes: StatusChange[]): Promise<(Order | null)[]> {
    return this.conn.transaction(async (session) => {
      const results: (Order | null)[] = [];
      for (const change of changes) results.push(await this.applyStatusIn(change, session));
      return results;
    }, TRANSACTION_OPTIONS);
  }

  private async applyStatusIn(change: StatusChange, session: mongoose.ClientSession): Promise<Order | null> {
    const doc = await this.m.orders
      .findOneAndUpdate(
        { _id: change.orderId, status: mongoose.trusted({ $in: change.from }) },
        {
          $set: {
            status: change.to,
            processedAt: change.processedAt,
            processingTimeMs: change.processingTimeMs,
            failureReason: change.failureReason,
          },
        },
        { returnDocument: 'after', lean: true, session },
      )
      .exec();
    if (!doc) return null;
    const order = toOrder(doc);
    await this.recordEvent('order.status-changed', order, session);
    return order;
  }

  async deleteOrder(id: string): Promise<Order | null> {
    return this.conn.transaction(async (session) => {
      const doc = await this.m.orders.findOneAndDelete({ _id: id }, { session, lean: true }).exec();
      if (!doc) return null;
      const order = toOrder(doc);
      if (order.status === 'PENDING') {
        // One at a time: operations inside a transaction must not run in parallel.
        for (const line of order.items) {
          await this.m.products.updateOne({ _id: line.productId }, { $inc: { stock: line.quantity } }, { session });
        }
      }
      await this.outbox.deleteUnpublished(id, session);
      await this.recordEvent('order.deleted', order, session);
      return order;
    }, TRANSACTION_OPTIONS);
  }

  async recentProcessingTimes(opts: { since: Date; limit: number }): Promise<number[]> {
    const docs = await this.m.orders
      .find({ status: 'PROCESSED', processedAt: mongoose.trusted({ $gte: opts.since }), processingTimeMs: mongoose.trusted({ $ne: null }) })
      .sort({ processedAt: -1 })
      .limit(opts.limit)
      .select({ processingTimeMs: 1 })
      .lean()
      .exec();
    return docs.map((d) => d.processingTimeMs).filter((ms): ms is number => ms !== null);
  }

  // ---- order change feed

  async readOrderEvents(afterSeq: number, limit: number): Promise<OrderEventPage> {
    const docs = await this.m.orderEvents
      .find({ _id: mongoose.trusted({ $gt: afterSeq }) })
      .sort({ _id: 1 })
      .limit(limit)
      .lean()
      .exec();
    const ids = [...new Set(docs.filter((d) => d.type !== 'order.deleted').map((d) => d.orderId))];
    const orders =
      ids.length === 0
        ? []
        : await this.m.orders
            .find({ _id: mongoose.trusted({ $in: ids }) })
            .lean()
            .exec();
    const byId = new Map(orders.map((o) => [o._id, toOrder(o)]));
    const events: OrderEvent[] = [];
    for (const d of docs) {
      if (d.type === 'order.deleted') {
        events.push({ seq: d._id, type: d.type, orderId: d.orderId, userId: d.userId });
        continue;
      }
      const now = byId.get(d.orderId);
      if (!now) continue; // deleted since; its order.deleted follows
      const { status, processedAt, processingTimeMs, failureReason } = d;
      events.push({ seq: d._id, type: d.type, order: { ...now, status, processedAt, processingTimeMs, failureReason } });
    }
    return { events, upTo: docs.at(-1)?._id ?? afterSeq, more: docs.length === limit };
  }

  async lastOrderEventSeq(): Promise<number> {
    const counter = await database(this.conn).collection<{ _id: string; seq: number }>(COUNTERS).findOne({ _id: ORDER_EVENTS });
    return counter?.seq ?? 0;
  }

  async firstOrderEventSeq(): Promise<number | null> {
    const first = await this.m.orderEvents.findOne().sort({ _id: 1 }).select({ _id: 1 }).lean().exec();
    return first?._id ?? null;
  }

  /** The oldest `limit` events only, as on SQLite: O(limit) however long the feed is. */
  async pruneOrderEvents(before: Date, limit: number): Promise<number> {
    const oldest = await this.m.orderEvents.find().sort({ _id: 1 }).limit(limit).select({ _id: 1, at: 1 }).lean().exec();
    const ids = oldest.filter((d) => d.at < before).map((d) => d._id);
    if (ids.length === 0) return 0;
    const { deletedCount } = await this.m.orderEvents.deleteMany({ _id: mongoose.trusted({ $in: ids }) });
    return deletedCount;
  }

  /** A wake-up only: the sequence is the resume position, so a broken or missing change stream (jongodb) loses nothing. */
  watchOrderEvents(onChange: () => void, onError: (err: unknown) => void): () => void {
    const stream = this.m.orderEvents.watch([{ $match: { operationType: 'insert' } }, { $project: { operationType: 1 } }]);
    stream.on('change', () => onChange());
    stream.on('error', (err: unknown) => {
      onError(err);
      void stream.close().catch(() => undefined);
    });
    return () => void stream.close().catch(() => undefined);
  }

  // ---- rate limits

  /**
   * Plain update operators, one atomic document write per step: count on a live window, else
   * restart an ended one, else insert the first. A step that matches nothing (another hit moved the
   * window or inserted first) falls to the next, and a lost insert race starts over, so concurrent
   * hits never lose a count. Expired counters go by the TTL index.
   */
  async hitRateLimit(key: string, windowMs: number, now: Date): Promise<{ count: number; resetAt: Date }> {
    const rows = database(this.conn).collection<RateLimitDoc>(this.m.rateLimits.collection.collectionName);
    const resetAt = new Date(now.getTime() + windowMs);
    for (;;) {
      const counted = await rows.findOneAndUpdate({ _id: key, resetAt: { $gt: now } }, { $inc: { count: 1 } }, { returnDocument: 'after' });
      if (counted) return { count: counted.count, resetAt: counted.resetAt };
      const restarted = await rows.findOneAndUpdate({ _id: key, resetAt: { $lte: now } }, { $set: { count: 1, resetAt } });
      if (restarted) return { count: 1, resetAt };
      try {
        await rows.insertOne({ _id: key, count: 1, resetAt });
        return { count: 1, resetAt };
      } catch (err) {
        if (!isDuplicateKey(err, '_id')) throw err;
      }
    }
  }

  async pruneRateLimits(): Promise<number> {
    return 0; // the TTL index on resetAt does it
  }

  async setUserTier(id: string, tier: Tier): Promise<User | null> {
    const doc = await this.m.users
      .findOneAndUpdate({ _id: id }, { $set: { tier } }, { returnDocument: 'after', runValidators: true, lean: true })
      .exec();
    return doc ? toUser(doc) : null;
  }

  // ---- lifecycle

  async ping(): Promise<void> {
    await database(this.conn).command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

const replayOf = (prior: OrderDoc, req: PlaceOrderRequest): PlaceOrderResult =>
  prior.requestHash === req.requestHash ? { kind: 'replayed', order: toOrder(prior) } : { kind: 'idempotency-conflict' };
