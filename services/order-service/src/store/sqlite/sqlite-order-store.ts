import type { Database, Statement } from 'better-sqlite3';
import type { NewOutboxMessage, OutboxMessage, OutboxStats, OutboxStatus, PublishFailure } from '@oms/outbox';
import {
  DuplicateKeyError,
  type AdminOrderQuery,
  type Order,
  type OrderServiceStore,
  type Page,
  type PageRequest,
  type PlaceOrderRequest,
  type PlaceOrderResult,
  type Product,
  type ProductPatch,
  type RefreshToken,
  type StatusChange,
  type User,
} from '../../app/ports';
import {
  msOrNull,
  toOrder,
  toOutboxMessage,
  toProduct,
  toRefreshToken,
  toUser,
  type OrderRow,
  type OutboxRow,
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

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SqliteOrderStore implements OrderServiceStore {
  private readonly stmt;
  private readonly searchStatements = new Map<string, Statement>();
  private readonly placeOrderTx;
  private readonly consumeRefreshTx;

  constructor(private readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      insertUser: p(`INSERT INTO users (id, username, email, password_hash, role, tier, created_at)
        VALUES (@id, @username, @email, @passwordHash, @role, @tier, @createdAt)`),
      userByEmail: p('SELECT * FROM users WHERE email = ?'),
      userById: p('SELECT * FROM users WHERE id = ?'),

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
      insertOrder: p(`INSERT INTO orders (id, user_id, username, status, tier, items, search_text, subtotal_cents,
          tax_cents, total_cents, currency, created_at, processed_at, processing_time_ms, failure_reason,
          idempotency_key, request_hash)
        VALUES (@id, @userId, @username, @status, @tier, @items, @searchText, @subtotalCents, @taxCents, @totalCents,
          @currency, @createdAt, @processedAt, @processingTimeMs, @failureReason, @idempotencyKey, @requestHash)`),
      listUserOrders: p(`SELECT * FROM orders WHERE user_id = @userId AND ${AFTER}
        ORDER BY created_at DESC, id DESC LIMIT @take`),
      applyStatus: p(`UPDATE orders SET status = @to, processed_at = @processedAt,
          processing_time_ms = @processingTimeMs, failure_reason = @failureReason
        WHERE id = @orderId AND status IN (SELECT value FROM json_each(@from)) RETURNING *`),

      insertOutbox: p(`INSERT INTO outbox (id, aggregate_id, type, destination, payload, occurred_at, status, attempts,
          next_attempt_at)
        VALUES (@id, @aggregateId, @type, @destination, @payload, @occurredAt, 'pending', 0, @occurredAt)`),
      claimOutbox: p(`UPDATE outbox SET locked_until = @leaseUntil
        WHERE id IN (SELECT id FROM outbox
          WHERE status = 'pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now)
          ORDER BY next_attempt_at, id LIMIT @limit)
        RETURNING *`),
      markPublished: p(`UPDATE outbox SET status = 'published', published_at = ?, locked_until = NULL WHERE id = ?`),
      markFailed: p(`UPDATE outbox SET attempts = attempts + 1, last_error = @error, locked_until = NULL,
          status = CASE WHEN @nextAttemptAt IS NULL THEN 'failed' ELSE 'pending' END,
          next_attempt_at = COALESCE(@nextAttemptAt, next_attempt_at)
        WHERE id = @id`),
      requeueOne: p(`UPDATE outbox SET status = 'pending', attempts = 0, locked_until = NULL, last_error = NULL
        WHERE id = ? AND status = 'failed'`),
      requeueAll: p(`UPDATE outbox SET status = 'pending', attempts = 0, locked_until = NULL, last_error = NULL
        WHERE status = 'failed'`),
      outboxStats: p(`SELECT status, COUNT(*) AS n, MIN(occurred_at) AS oldest FROM outbox
        WHERE status IN ('pending', 'failed') GROUP BY status`),
      listOutbox: p('SELECT * FROM outbox WHERE status = ? ORDER BY occurred_at, id LIMIT ?'),
    };

    this.placeOrderTx = db.transaction((req: PlaceOrderRequest): PlaceOrderResult => this.placeOrderInTx(req));
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

  async placeOrder(req: PlaceOrderRequest): Promise<PlaceOrderResult> {
    try {
      // IMMEDIATE takes the write lock up front, so another process cannot slip in between read and write.
      return this.placeOrderTx.immediate(req);
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
    this.insertOutbox(outbox);
    return { kind: 'created', order };
  }

  private insertOrder(order: Order, req: PlaceOrderRequest): void {
    this.stmt.insertOrder.run({
      ...order,
      items: JSON.stringify(order.items),
      searchText: order.items.flatMap((l) => [l.name, l.sku]).join('\n'),
      createdAt: order.createdAt.getTime(),
      processedAt: msOrNull(order.processedAt),
      idempotencyKey: req.idempotencyKey,
      requestHash: req.requestHash,
    });
  }

  private insertOutbox(m: NewOutboxMessage): void {
    this.stmt.insertOutbox.run({ ...m, occurredAt: m.occurredAt.getTime() });
  }

  async getOrder(id: string): Promise<Order | null> {
    const row = this.stmt.orderById.get(id) as OrderRow | undefined;
    return row ? toOrder(row) : null;
  }

  async listOrdersForUser(userId: string, page: PageRequest): Promise<Page<Order>> {
    const rows = this.stmt.listUserOrders.all({ userId, ...keyset(page) }) as OrderRow[];
    return toPage(rows, page.limit, toOrder);
  }

  /** q matches product name or sku and user name (case-insensitive substring), or equals the total in minor units. */
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
    if (text) {
      const amount = /^\d{1,15}$/.test(text) ? ' OR total_cents = @amount' : '';
      where.push(`(search_text LIKE @like ESCAPE '\\' OR username LIKE @like ESCAPE '\\'${amount})`);
      params.like = `%${escapeLike(text)}%`;
      if (amount) params.amount = Number(text);
    }
    const sql = `SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @take`;
    let stmt = this.searchStatements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.searchStatements.set(sql, stmt);
    }
    return toPage(stmt.all(params) as OrderRow[], query.limit, toOrder);
  }

  async applyStatusChange(change: StatusChange): Promise<Order | null> {
    const row = this.stmt.applyStatus.get({
      ...change,
      from: JSON.stringify(change.from),
      processedAt: msOrNull(change.processedAt),
    }) as OrderRow | undefined;
    return row ? toOrder(row) : null;
  }

  // ---- outbox

  async claimOutboxBatch(opts: { limit: number; now: Date; leaseUntil: Date }): Promise<OutboxMessage[]> {
    const rows = this.stmt.claimOutbox.all({
      limit: opts.limit,
      now: opts.now.getTime(),
      leaseUntil: opts.leaseUntil.getTime(),
    }) as OutboxRow[];
    // RETURNING has no defined order; publish oldest first.
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || (a.id < b.id ? -1 : 1)).map(toOutboxMessage);
  }

  async markOutboxPublished(ids: string[], at: Date): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.stmt.markPublished.run(at.getTime(), id);
    })();
  }

  async markOutboxFailed(failures: PublishFailure[]): Promise<void> {
    this.db.transaction(() => {
      for (const f of failures) this.stmt.markFailed.run({ id: f.id, error: f.error, nextAttemptAt: msOrNull(f.nextAttemptAt) });
    })();
  }

  /** Parked rows go back to pending with a fresh attempt budget; their last nextAttemptAt is past, so they are due at once. */
  async requeueFailedOutbox(ids?: string[]): Promise<number> {
    if (!ids) return this.stmt.requeueAll.run().changes;
    return this.db.transaction(() => ids.reduce((n, id) => n + this.stmt.requeueOne.run(id).changes, 0))();
  }

  async outboxStats(now: Date): Promise<OutboxStats> {
    const rows = this.stmt.outboxStats.all() as { status: OutboxStatus; n: number; oldest: number }[];
    const pending = rows.find((r) => r.status === 'pending');
    const failed = rows.find((r) => r.status === 'failed');
    return {
      pending: pending?.n ?? 0,
      failed: failed?.n ?? 0,
      oldestPendingAgeMs: pending ? Math.max(0, now.getTime() - pending.oldest) : 0,
    };
  }

  async listOutbox(opts: { status: OutboxStatus; limit: number }): Promise<OutboxMessage[]> {
    return (this.stmt.listOutbox.all(opts.status, opts.limit) as OutboxRow[]).map(toOutboxMessage);
  }

  // ---- lifecycle

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
