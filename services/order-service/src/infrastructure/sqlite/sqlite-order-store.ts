import type { Database, Statement } from 'better-sqlite3';
import { StoreWithOutbox } from '@oms/outbox';
import { SqliteOutbox } from '@oms/outbox/sqlite';
import type { Tier } from '@oms/contracts';
import { GroupCommit } from '@oms/platform/sqlite';
import { SqliteLoadTestStore } from './load-test-store';
import { escapeLike, SqliteOrderSearch } from './order-search';
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
  itemsText,
  msOrNull,
  ORDER_COLUMNS,
  ORDER_EVENT_COLUMNS,
  orderEventValues,
  orderValues,
  toOrderEvent,
  toOrder,
  toProduct,
  toRefreshToken,
  toUser,
  type OrderEventRow,
  type OrderRow,
  type ProductRow,
  type RefreshTokenRow,
  type UserRow,
} from './rows';

type InsufficientStock = Extract<PlaceOrderResult, { kind: 'insufficient-stock' }>;

/** Thrown inside the order transaction to roll every write back, carrying the answer out. */
class Shortfall extends Error {
  constructor(readonly result: InsufficientStock) {
    super('insufficient stock');
  }
}

const isUniqueViolation = (err: unknown): boolean => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/** Lists are newest first: (created_at, id) descending; fetching limit+1 tells whether more follow. */
function toPage<R extends { created_at: number; id: string }, T>(rows: R[], limit: number, map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), next: more && last ? { createdAt: new Date(last.created_at), id: last.id } : null };
}

const keyset = (page: PageRequest) => ({
  afterAt: page.after ? page.after.createdAt.getTime() : null,
  afterId: page.after ? page.after.id : null,
  take: page.limit + 1,
});
const AFTER = '(@afterAt IS NULL OR (created_at, id) < (@afterAt, @afterId))';

/**
 * A free-text query matching more distinct search texts than this is common (a product most
 * orders contain): reading the newest orders in page order finds a page of matches soonest.
 */
const SEARCH_TEXTS_MAX = 32;

const newestFirst = (a: OrderRow, b: OrderRow) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The statements on periodic and per-request paths, exported so a test pins their query plans. */
export const FEED_SQL = {
  // The orders row is looked up by primary key per event: a read costs O(events read).
  orderEventsAfter: `SELECT e.seq, e.type, e.order_id AS event_order_id, e.user_id AS event_user_id, e.status AS event_status,
      e.processed_at AS event_processed_at, e.processing_time_ms AS event_processing_time_ms,
      e.failure_reason AS event_failure_reason, o.*
    FROM order_events e LEFT JOIN orders o ON o.id = e.order_id AND e.type <> 'order.deleted'
    WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
  // Looks at the oldest `limit` rows only, so a prune costs O(limit) however long the feed is.
  pruneOrderEvents: `DELETE FROM order_events WHERE seq IN
    (SELECT seq FROM (SELECT seq, at FROM order_events ORDER BY seq LIMIT @limit) WHERE at < @before)`,
  hitRateLimit: `INSERT INTO rate_limits (key, count, reset_at) VALUES (@key, 1, @resetAt)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN reset_at <= @now THEN 1 ELSE count + 1 END,
      reset_at = CASE WHEN reset_at <= @now THEN @resetAt ELSE reset_at END
    RETURNING count, reset_at`,
  pruneRateLimits: `DELETE FROM rate_limits WHERE key IN
    (SELECT key FROM rate_limits WHERE reset_at <= @now ORDER BY reset_at LIMIT @limit)`,
};

export class SqliteOrderStore extends StoreWithOutbox<SqliteOutbox> implements LoadTestableStore {
  private readonly stmt;
  private readonly searchStatements = new Map<string, Statement>();
  private readonly writes: GroupCommit;
  private readonly consumeRefreshTx;
  private readonly changePasswordTx;
  private readonly deleteOrderTx;
  private readonly search: SqliteOrderSearch;

  readonly loadTest: SqliteLoadTestStore;

  // Long by design: the prepared statements (one per query) and the transactions, each prepared once here.
  constructor(private readonly db: Database) {
    super(new SqliteOutbox(db));
    this.search = new SqliteOrderSearch(db);
    this.loadTest = new SqliteLoadTestStore(db, this.outbox, this.search);
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      insertUser: p(`INSERT INTO users (id, username, email, password_hash, role, tier, created_at)
        VALUES (@id, @username, @email, @passwordHash, @role, @tier, @createdAt)`),
      userByEmail: p('SELECT * FROM users WHERE email = ?'),
      userById: p('SELECT * FROM users WHERE id = ?'),
      setUserTier: p('UPDATE users SET tier = ? WHERE id = ? RETURNING *'),
      setPasswordHash: p('UPDATE users SET password_hash = ? WHERE id = ?'),
      revokeUserTokens: p('UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),

      insertRefresh: p(`INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, used_at, revoked_at)
        VALUES (@tokenHash, @userId, @familyId, @expiresAt, @usedAt, @revokedAt)`),
      refreshByHash: p('SELECT * FROM refresh_tokens WHERE token_hash = ?'),
      markRefreshUsed: p('UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?'),
      revokeFamily: p('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL'),

      insertProduct: p(`INSERT INTO products (id, sku, name, price_cents, currency, stock, created_at, updated_at)
        VALUES (@id, @sku, @name, @priceCents, @currency, @stock, @createdAt, @updatedAt)`),
      updateProduct: p(`UPDATE products SET
          name = COALESCE(@name, name), price_cents = COALESCE(@priceCents, price_cents),
          currency = COALESCE(@currency, currency), stock = COALESCE(@stock, stock), updated_at = @now
        WHERE id = @id RETURNING *`),
      productById: p('SELECT * FROM products WHERE id = ?'),
      listProducts: p(`SELECT * FROM products WHERE ${AFTER} ORDER BY created_at DESC, id DESC LIMIT @take`),
      decrementStock: p('UPDATE products SET stock = stock - @qty WHERE id = @id AND stock >= @qty'),

      orderById: p('SELECT * FROM orders WHERE id = ?'),
      orderByIdempotencyKey: p('SELECT * FROM orders WHERE user_id = ? AND idempotency_key = ?'),
      insertOrder: p(`INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES (${ORDER_COLUMNS.map(() => '?').join(', ')})`),
      listUserOrders: p(`SELECT * FROM orders WHERE user_id = @userId AND ${AFTER}
        ORDER BY created_at DESC, id DESC LIMIT @take`),
      applyStatus: p(`UPDATE orders SET status = @to, processed_at = @processedAt,
          processing_time_ms = @processingTimeMs, failure_reason = @failureReason
        WHERE id = @orderId AND status IN (SELECT value FROM json_each(@from)) RETURNING *`),
      deleteOrder: p('DELETE FROM orders WHERE id = ? RETURNING *'),
      restoreStock: p('UPDATE products SET stock = stock + @qty WHERE id = @id'),
      insertOrderEvent: p(
        `INSERT INTO order_events (${ORDER_EVENT_COLUMNS.join(', ')}) VALUES (${ORDER_EVENT_COLUMNS.map(() => '?').join(', ')})`,
      ),
      orderEventsAfter: p(FEED_SQL.orderEventsAfter),
      // sqlite_sequence, not max(seq): it remembers the last sequence after pruning emptied the table.
      lastOrderEventSeq: p(`SELECT seq FROM sqlite_sequence WHERE name = 'order_events'`).pluck(),
      firstOrderEventSeq: p('SELECT min(seq) FROM order_events').pluck(),
      pruneOrderEvents: p(FEED_SQL.pruneOrderEvents),
      hitRateLimit: p(FEED_SQL.hitRateLimit),
      pruneRateLimits: p(FEED_SQL.pruneRateLimits),
      recentProcessingTimes: p(`SELECT processing_time_ms AS ms FROM orders
        WHERE status = 'PROCESSED' AND processed_at >= @since AND processing_time_ms IS NOT NULL
        ORDER BY processed_at DESC LIMIT @limit`),
    };

    this.writes = new GroupCommit(db);
    this.changePasswordTx = db.transaction((userId: string, passwordHash: string, now: number): boolean => {
      if (this.stmt.setPasswordHash.run(passwordHash, userId).changes === 0) return false;
      this.stmt.revokeUserTokens.run(now, userId);
      return true;
    });
    this.deleteOrderTx = db.transaction((id: string): Order | null => {
      const row = this.stmt.deleteOrder.get(id) as OrderRow | undefined;
      if (!row) return null;
      const order = toOrder(row);
      if (order.status === 'PENDING') {
        for (const line of order.items) this.stmt.restoreStock.run({ id: line.productId, qty: line.quantity });
      }
      this.outbox.deleteUnpublished(id);
      this.recordEvent('order.deleted', order);
      return order;
    });
    this.consumeRefreshTx = db.transaction((tokenHash: string, now: number) => {
      const row = this.stmt.refreshByHash.get(tokenHash) as RefreshTokenRow | undefined;
      // A revoked family is dead already: no reuse alarm needed, just refuse.
      if (!row || row.revoked_at !== null) return null;
      if (row.used_at !== null) return { token: toRefreshToken(row), reused: true };
      if (row.expires_at <= now) return null;
      this.stmt.markRefreshUsed.run(now, tokenHash);
      return { token: toRefreshToken({ ...row, used_at: now }), reused: false };
    });
  }

  // ---- users

  async createUser(user: User): Promise<void> {
    try {
      this.stmt.insertUser.run({ ...user, createdAt: user.createdAt.getTime() });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateKeyError('email');
      throw err;
    }
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const row = this.stmt.userByEmail.get(email) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async findUserById(id: string): Promise<User | null> {
    const row = this.stmt.userById.get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async changePasswordHash(userId: string, passwordHash: string, now: Date): Promise<boolean> {
    return this.changePasswordTx.immediate(userId, passwordHash, now.getTime());
  }

  // ---- refresh tokens

  async insertRefreshToken(t: RefreshToken): Promise<void> {
    this.stmt.insertRefresh.run({
      ...t,
      expiresAt: t.expiresAt.getTime(),
      usedAt: msOrNull(t.usedAt),
      revokedAt: msOrNull(t.revokedAt),
    });
  }

  async consumeRefreshToken(tokenHash: string, now: Date): Promise<{ token: RefreshToken; reused: boolean } | null> {
    return this.consumeRefreshTx.immediate(tokenHash, now.getTime());
  }

  async revokeRefreshFamily(familyId: string, now: Date): Promise<void> {
    this.stmt.revokeFamily.run(now.getTime(), familyId);
  }

  // ---- products

  async createProduct(product: Product): Promise<void> {
    try {
      this.stmt.insertProduct.run({
        ...product,
        createdAt: product.createdAt.getTime(),
        updatedAt: product.updatedAt.getTime(),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateKeyError('sku');
      throw err;
    }
  }

  async updateProduct(id: string, patch: ProductPatch, now: Date): Promise<Product | null> {
    const row = this.stmt.updateProduct.get({
      id,
      name: patch.name ?? null,
      priceCents: patch.priceCents ?? null,
      currency: patch.currency ?? null,
      stock: patch.stock ?? null,
      now: now.getTime(),
    }) as ProductRow | undefined;
    return row ? toProduct(row) : null;
  }

  async getProduct(id: string): Promise<Product | null> {
    const row = this.stmt.productById.get(id) as ProductRow | undefined;
    return row ? toProduct(row) : null;
  }

  async listProducts(page: PageRequest): Promise<Page<Product>> {
    const rows = this.stmt.listProducts.all(keyset(page)) as ProductRow[];
    return toPage(rows, page.limit, toProduct);
  }

  // ---- orders

  /**
   * The orders of one event-loop turn commit together (GroupCommit: BEGIN IMMEDIATE, a savepoint
   * each); IMMEDIATE takes the write lock up front, so another process cannot slip in between
   * read and write.
   */
  async placeOrder(req: PlaceOrderRequest): Promise<PlaceOrderResult> {
    try {
      return await this.writes.run(() => this.placeOrderInTx(req));
    } catch (err) {
      if (err instanceof Shortfall) return err.result;
      throw err;
    }
  }

  private placeOrderInTx(req: PlaceOrderRequest): PlaceOrderResult {
    if (req.idempotencyKey !== null) {
      const prior = this.stmt.orderByIdempotencyKey.get(req.userId, req.idempotencyKey) as OrderRow | undefined;
      if (prior) {
        return prior.request_hash === req.requestHash ? { kind: 'replayed', order: toOrder(prior) } : { kind: 'idempotency-conflict' };
      }
    }

    const products: Product[] = [];
    const unknown: string[] = [];
    for (const { productId } of req.items) {
      const row = this.stmt.productById.get(productId) as ProductRow | undefined;
      if (row) products.push(toProduct(row));
      else unknown.push(productId);
    }
    if (unknown.length > 0) return { kind: 'unknown-products', productIds: unknown };

    const short: InsufficientStock['lines'] = [];
    req.items.forEach(({ productId, quantity }, i) => {
      const { changes } = this.stmt.decrementStock.run({ id: productId, qty: quantity });
      if (changes === 0) short.push({ productId, requested: quantity, available: products[i]!.stock });
    });
    if (short.length > 0) throw new Shortfall({ kind: 'insufficient-stock', lines: short });

    const { order, outbox } = req.compose(products);
    this.insertOrder(order, req);
    if (!req.skipOutbox) this.outbox.insert(outbox);
    this.recordEvent('order.created', order);
    return { kind: 'created', order };
  }

  /** Appends to the change feed inside the caller's transaction. */
  private recordEvent(type: OrderEventType, order: Order): void {
    this.stmt.insertOrderEvent.run(orderEventValues(type, order, Date.now()));
  }

  private insertOrder(order: Order, req: PlaceOrderRequest): void {
    const searchId = this.search.textId(itemsText(order), order.username);
    this.stmt.insertOrder.run(orderValues(order, req.idempotencyKey, req.requestHash, searchId));
  }

  async getOrder(id: string): Promise<Order | null> {
    const row = this.stmt.orderById.get(id) as OrderRow | undefined;
    return row ? toOrder(row) : null;
  }

  async listOrdersForUser(userId: string, page: PageRequest): Promise<Page<Order>> {
    const rows = this.stmt.listUserOrders.all({ userId, ...keyset(page) }) as OrderRow[];
    return toPage(rows, page.limit, toOrder);
  }

  /**
   * q matches product name or sku and user name (case-insensitive substring), or equals the total
   * in minor units. A q matching few distinct texts reads the newest orders of each (an index range
   * each) and merges them; a common one reads orders newest first until the page is full.
   */
  async searchOrders(query: AdminOrderQuery): Promise<Page<Order>> {
    const where = [AFTER];
    const params: Record<string, unknown> = keyset(query);
    if (query.status) {
      where.push('status = @status');
      params.status = query.status;
    }
    if (query.from) {
      where.push('created_at >= @from');
      params.from = query.from.getTime();
    }
    if (query.to) {
      where.push('created_at < @to');
      params.to = query.to.getTime();
    }
    const text = query.q?.trim();
    if (!text) return toPage(this.select(where, params), query.limit, toOrder);
    const amount = /^\d{1,15}$/.test(text) ? Number(text) : null;
    const texts = this.search.matchingTexts(text, SEARCH_TEXTS_MAX + 1);
    if (texts.length > SEARCH_TEXTS_MAX) {
      const orAmount = amount === null ? '' : ' OR total_cents = @amount';
      const like = `(search_text LIKE @like ESCAPE '\\' OR username LIKE @like ESCAPE '\\'${orAmount})`;
      return toPage(this.select([...where, like], { ...params, like: `%${escapeLike(text)}%`, amount }), query.limit, toOrder);
    }
    const rows = texts.flatMap((searchId) => this.select([...where, 'search_id = @searchId'], { ...params, searchId }));
    if (amount !== null) rows.push(...this.select([...where, 'total_cents = @amount'], { ...params, amount }));
    const unique = [...new Map(rows.map((r) => [r.id, r])).values()].sort(newestFirst);
    return toPage(unique.slice(0, params.take as number), query.limit, toOrder);
  }

  /** One page of orders newest first under these conditions (statements cached by their text). */
  private select(where: string[], params: Record<string, unknown>): OrderRow[] {
    const sql = `SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @take`;
    let stmt = this.searchStatements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.searchStatements.set(sql, stmt);
    }
    return stmt.all(params) as OrderRow[];
  }

  async applyStatusChange(change: StatusChange): Promise<Order | null> {
    return this.writes.run(() => this.applyStatusNow(change));
  }

  async applyStatusChanges(changes: StatusChange[]): Promise<(Order | null)[]> {
    return this.writes.run(() => changes.map((c) => this.applyStatusNow(c)));
  }

  private applyStatusNow(change: StatusChange): Order | null {
    const row = this.stmt.applyStatus.get({
      ...change,
      from: JSON.stringify(change.from),
      processedAt: msOrNull(change.processedAt),
    }) as OrderRow | undefined;
    if (!row) return null;
    const order = toOrder(row);
    this.recordEvent('order.status-changed', order);
    return order;
  }

  async deleteOrder(id: string): Promise<Order | null> {
    return this.deleteOrderTx.immediate(id);
  }

  async recentProcessingTimes(opts: { since: Date; limit: number }): Promise<number[]> {
    const rows = this.stmt.recentProcessingTimes.all({ since: opts.since.getTime(), limit: opts.limit }) as { ms: number }[];
    return rows.map((r) => r.ms);
  }

  // ---- order change feed

  async readOrderEvents(afterSeq: number, limit: number): Promise<OrderEventPage> {
    const rows = this.stmt.orderEventsAfter.all(afterSeq, limit) as OrderEventRow[];
    return {
      events: rows.map(toOrderEvent).filter((e): e is OrderEvent => e !== null),
      upTo: rows.at(-1)?.seq ?? afterSeq,
      more: rows.length === limit,
    };
  }

  async lastOrderEventSeq(): Promise<number> {
    return (this.stmt.lastOrderEventSeq.get() as number | undefined) ?? 0;
  }

  async firstOrderEventSeq(): Promise<number | null> {
    return this.stmt.firstOrderEventSeq.get() as number | null;
  }

  async pruneOrderEvents(before: Date, limit: number): Promise<number> {
    return this.stmt.pruneOrderEvents.run({ before: before.getTime(), limit }).changes;
  }

  // ---- rate limits

  /** Joins the turn's group commit: a counted request costs one statement, not one commit. */
  async hitRateLimit(key: string, windowMs: number, now: Date): Promise<{ count: number; resetAt: Date }> {
    const at = now.getTime();
    const row = (await this.writes.run(() => this.stmt.hitRateLimit.get({ key, now: at, resetAt: at + windowMs }))) as {
      count: number;
      reset_at: number;
    };
    return { count: row.count, resetAt: new Date(row.reset_at) };
  }

  async pruneRateLimits(now: Date, limit: number): Promise<number> {
    return this.stmt.pruneRateLimits.run({ now: now.getTime(), limit }).changes;
  }

  async setUserTier(id: string, tier: Tier): Promise<User | null> {
    const row = this.stmt.setUserTier.get(tier, id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  // ---- lifecycle

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
