import type { OrderStatus } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import type { Order } from '../../domain/order';
import type { Product } from '../../domain/product';
import type { Page, PageRequest } from '../shared/page';

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
export interface OrderRepository {
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
