/**
 * Storage ports of the order service. Adapters (store/sqlite, store/mongo) implement them;
 * nothing above this line knows SQL or mongoose. Ids are opaque strings chosen by the app
 * (UUIDv7-like, time-ordered) so both adapters store the same values.
 */
import type { OrderStatus, Role, Tier } from '@oms/contracts';
import type { NewOutboxMessage, OutboxStore } from '@oms/outbox';
import type { LoadTestStore } from '../loadtest/ports';
import type { OrderEventLog } from './order-feed/order-events';
import type { RateLimitCounters } from './operations/rate-limit-counters';

export interface User {
  id: string;
  username: string;
  email: string; // lower-cased
  passwordHash: string;
  role: Role;
  tier: Tier;
  createdAt: Date;
}

export interface RefreshToken {
  tokenHash: string; // sha-256 of the opaque token; the token itself is never stored
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

export interface Order {
  id: string;
  userId: string;
  /** Denormalised for admin search by user name. */
  username: string;
  status: OrderStatus;
  tier: Tier;
  items: OrderLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
  createdAt: Date;
  processedAt: Date | null;
  processingTimeMs: number | null;
  failureReason: string | null;
}

/** Opaque keyset position: (createdAt, id) of the last row seen. */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  after: PageCursor | null;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Present when more rows may follow. */
  next: PageCursor | null;
}

export class DuplicateKeyError extends Error {
  constructor(readonly field: string) {
    super(`duplicate ${field}`);
  }
}

export interface UserStore {
  /** Throws DuplicateKeyError('email') when the email is taken. */
  createUser(user: User): Promise<void>;
  findUserByEmail(email: string): Promise<User | null>;
  findUserById(id: string): Promise<User | null>;
  /** Sets the customer tier (admin); returns the updated user, or null when there is no such user. */
  setUserTier(id: string, tier: Tier): Promise<User | null>;
  /**
   * Replaces the password hash and revokes every refresh token of the user (all logins end);
   * returns false when there is no such user.
   */
  changePasswordHash(userId: string, passwordHash: string, now: Date): Promise<boolean>;
}

export interface RefreshTokenStore {
  insertRefreshToken(token: RefreshToken): Promise<void>;
  /**
   * Atomically marks an unused, unrevoked, unexpired token as used and returns it.
   * Returns { reused: true } with the stored row when it was already used (replay) and its family is
   * not revoked; null when unknown, revoked, or (unused but) expired.
   */
  consumeRefreshToken(tokenHash: string, now: Date): Promise<{ token: RefreshToken; reused: boolean } | null>;
  revokeRefreshFamily(familyId: string, now: Date): Promise<void>;
}

export interface ProductPatch {
  name?: string;
  priceCents?: number;
  currency?: string;
  stock?: number;
}

export interface ProductStore {
  /** Throws DuplicateKeyError('sku') when the sku is taken. */
  createProduct(product: Product): Promise<void>;
  updateProduct(id: string, patch: ProductPatch, now: Date): Promise<Product | null>;
  getProduct(id: string): Promise<Product | null>;
  listProducts(page: PageRequest): Promise<Page<Product>>;
}

export interface OrderLineRequest {
  productId: string;
  quantity: number;
}

export interface PlaceOrderRequest {
  userId: string;
  idempotencyKey: string | null;
  /** Hash of the canonical request body; a reused key with another hash is a conflict. */
  requestHash: string;
  items: OrderLineRequest[];
  /**
   * Pure and synchronous: prices the order from the products as read INSIDE the transaction
   * (the price snapshot) and builds the outbox message. Called at most once per attempt.
   */
  compose(products: Product[]): { order: Order; outbox: NewOutboxMessage };
  /**
   * Benchmark baseline only (BENCH_NAIVE_PUBLISH): commit without the outbox row; the caller
   * publishes right after the commit instead. Never set on the real intake path.
   */
  skipOutbox?: boolean;
}

export type PlaceOrderResult =
  | { kind: 'created'; order: Order }
  | { kind: 'replayed'; order: Order }
  | { kind: 'idempotency-conflict' }
  | { kind: 'unknown-products'; productIds: string[] }
  | { kind: 'insufficient-stock'; lines: { productId: string; requested: number; available: number }[] };

export interface StatusChange {
  orderId: string;
  to: OrderStatus;
  /** The states this change may come from; anything else means stale or duplicate. */
  from: OrderStatus[];
  processedAt: Date | null;
  processingTimeMs: number | null;
  failureReason: string | null;
}

export interface AdminOrderQuery extends PageRequest {
  status?: OrderStatus;
  from?: Date;
  to?: Date;
  /** Free text: product name or sku, user name, or an amount in minor units. */
  q?: string;
}

/**
 * Every write below that changes an order also appends its event to the order change feed
 * (OrderEventLog) in the same transaction: created, status-changed, deleted.
 */
export interface OrderStore {
  /**
   * ONE transaction: idempotency check, conditional stock decrement per line (stock >= qty),
   * order insert, outbox insert, feed event. Any shortfall aborts all of it.
   */
  placeOrder(req: PlaceOrderRequest): Promise<PlaceOrderResult>;
  getOrder(id: string): Promise<Order | null>;
  listOrdersForUser(userId: string, page: PageRequest): Promise<Page<Order>>;
  searchOrders(query: AdminOrderQuery): Promise<Page<Order>>;
  /** Conditional update (status IN from); returns the updated order, or null when not applied. */
  applyStatusChange(change: StatusChange): Promise<Order | null>;
  /** applyStatusChange for a batch in ONE transaction; results line up with the changes. */
  applyStatusChanges(changes: StatusChange[]): Promise<(Order | null)[]>;
  /**
   * ONE transaction: removes the order and its not-yet-published outbox rows (so a PENDING order is
   * not processed after all), and gives a PENDING order's stock back. Returns the order as it was
   * before removal, or null when there is no such order.
   */
  deleteOrder(id: string): Promise<Order | null>;
  /** processingTimeMs of PROCESSED orders with processedAt >= since, newest first, at most limit of them. */
  recentProcessingTimes(opts: { since: Date; limit: number }): Promise<number[]>;
}

export interface OrderServiceStore
  extends UserStore,
    RefreshTokenStore,
    ProductStore,
    OrderStore,
    OrderEventLog,
    RateLimitCounters,
    OutboxStore {
  /** The load-run side (bulk path, wipe, history), kept apart from the order use cases. */
  readonly loadTest: LoadTestStore;
  /** Cheap round trip for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
