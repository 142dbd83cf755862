import { createHash } from 'node:crypto';
import { OrderPlacedEvent, priorityOf, QueueKey } from '@oms/contracts';
import { currentTraceparent, inSpan, makeEvent } from '@oms/platform';
import { DomainError } from '../../domain/errors';
import { newId } from '../shared/ids';
import { priceOrder } from '../../domain/pricing';
import type { Principal } from '../identity/access-tokens';
import { ConflictError, NotFoundError, UnauthorizedError, UnprocessableError } from '../shared/errors';
import type { NewOutboxMessage } from '@oms/outbox';
import { toPageRequest, toPageResult, type PageQuery, type PageResult } from '../shared/paging';
import type { Order } from '../../domain/order';
import type { OrderLineRequest, OrderRepository, PlaceOrderRequest, PlaceOrderResult } from './ports';
import type { Product } from '../../domain/product';
import type { UserRepository } from '../identity/ports';
import type { User } from '../../domain/user';

export const EVENT_SOURCE = 'order-service';

export interface PlaceOrderDeps {
  store: OrderRepository & UserRepository;
  taxRateBps: number;
  now: () => Date;
  /**
   * Benchmark baseline only (BENCH_NAIVE_PUBLISH): no outbox row; the event is sent to the queue
   * right after the commit instead, which loses it if the process dies in between.
   */
  publishInline?: (message: NewOutboxMessage) => Promise<void>;
}

export interface PlaceOrderInput {
  userId: string;
  idempotencyKey: string | null;
  items: OrderLineRequest[];
}

/**
 * Lines naming the same product are merged (quantities added), so a cart that adds an item
 * twice still works and one order has one line per product.
 */
export function mergeLines(items: OrderLineRequest[]): OrderLineRequest[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/** Same lines in any order -> same hash, so an Idempotency-Key replay is recognised. */
export function requestHashOf(items: OrderLineRequest[]): string {
  const canonical = [...items]
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .map(({ productId, quantity }) => [productId, quantity]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Prices the merged lines against the store's products and builds the PENDING order. */
function buildOrder(deps: PlaceOrderDeps, user: User, items: OrderLineRequest[], products: Product[], now: Date): Order {
  const byId = new Map(products.map((p) => [p.id, p]));
  const priced = priceOrder(
    items.map(({ productId, quantity }) => {
      const p = byId.get(productId);
      if (!p) throw new Error(`store did not supply product ${productId}`);
      return { productId, sku: p.sku, name: p.name, unitPriceCents: p.priceCents, currency: p.currency, quantity };
    }),
    deps.taxRateBps,
  );
  return {
    id: newId(),
    userId: user.id,
    username: user.username,
    status: 'PENDING',
    tier: user.tier,
    ...priced,
    createdAt: now,
    processedAt: null,
    processingTimeMs: null,
    failureReason: null,
  };
}

/** The order.placed outbox message for a new order (DIAMOND orders go to the priority queue). */
function outboxMessageFor(user: User, order: Order, now: Date, traceparent: string | null): NewOutboxMessage {
  // Parsing the envelope here keeps a contract break out of the outbox (it aborts the transaction).
  const event = OrderPlacedEvent.parse(
    makeEvent<OrderPlacedEvent>(
      'order.placed',
      {
        orderId: order.id,
        userId: user.id,
        customer: { name: user.username, email: user.email },
        items: order.items,
        totals: { subtotalCents: order.subtotalCents, taxCents: order.taxCents, totalCents: order.totalCents },
        currency: order.currency,
        tier: user.tier,
        priority: priorityOf(user.tier),
        placedAt: now.toISOString(),
      },
      EVENT_SOURCE,
      now,
    ),
  );
  const destination = user.tier === 'DIAMOND' ? QueueKey.ordersPriority : QueueKey.orders;
  return {
    id: event.id,
    aggregateId: order.id,
    type: event.type,
    destination,
    payload: JSON.stringify(event),
    occurredAt: now,
    priority: destination === QueueKey.ordersPriority,
    traceparent,
  };
}

/** The error for a store result that placed nothing (conflict, unknown products, short stock). */
function placeOrderFailure(result: Exclude<PlaceOrderResult, { kind: 'created' | 'replayed' }>): Error {
  switch (result.kind) {
    case 'idempotency-conflict':
      return new UnprocessableError('idempotency-key-reused', 'this Idempotency-Key was already used with a different request body');
    case 'unknown-products':
      return new UnprocessableError(
        'unknown-products',
        `unknown products: ${result.productIds.join(', ')}`,
        result.productIds.map((productId) => ({ path: `items[productId=${productId}]`, message: 'no such product', productId })),
      );
    case 'insufficient-stock':
      return new ConflictError(
        'insufficient-stock',
        `not enough stock for ${result.lines.length} line(s); nothing was ordered`,
        result.lines.map((l) => ({
          path: `items[productId=${l.productId}]`,
          message: `requested ${l.requested}, available ${l.available}`,
          ...l,
        })),
      );
  }
}

export async function placeOrder(deps: PlaceOrderDeps, input: PlaceOrderInput): Promise<{ order: Order; replayed: boolean }> {
  const user = await deps.store.findUserById(input.userId);
  if (!user) throw new UnauthorizedError('unknown-user', 'the account behind this token no longer exists');
  const items = mergeLines(input.items);

  const compose: PlaceOrderRequest['compose'] = (products: Product[]) => {
    const now = deps.now();
    const order = buildOrder(deps, user, items, products, now);
    composed = outboxMessageFor(user, order, now, traceparent);
    return { order, outbox: composed };
  };
  let composed: NewOutboxMessage | null = null;
  // Taken before the store call: a group commit may run compose in another request's context.
  let traceparent: string | null = null;

  let result;
  try {
    result = await inSpan('order commit', { attributes: { 'oms.user_id': user.id } }, async (span) => {
      traceparent = currentTraceparent();
      const placed = await deps.store.placeOrder({
        userId: user.id,
        idempotencyKey: input.idempotencyKey,
        requestHash: requestHashOf(items),
        items,
        compose,
        ...(deps.publishInline && { skipOutbox: true }),
      });
      span.setAttribute('oms.result', placed.kind);
      if (placed.kind === 'created' || placed.kind === 'replayed') span.setAttribute('oms.order_id', placed.order.id);
      return placed;
    });
  } catch (err) {
    if (err instanceof DomainError) throw new UnprocessableError(err.code, err.message);
    throw err;
  }

  if (result.kind === 'created') {
    if (deps.publishInline && composed) await deps.publishInline(composed);
    return { order: result.order, replayed: false };
  }
  if (result.kind === 'replayed') return { order: result.order, replayed: true };
  throw placeOrderFailure(result);
}

/** Owners and admins see an order; anyone else gets the same answer as for a missing one. */
export async function getOrderFor(store: OrderRepository, principal: Principal, id: string): Promise<Order> {
  const order = await store.getOrder(id);
  if (!order || (order.userId !== principal.userId && principal.role !== 'admin')) {
    throw new NotFoundError('order-not-found', `order ${id} does not exist`);
  }
  return order;
}

export async function listOrdersForUser(store: OrderRepository, userId: string, query: PageQuery): Promise<PageResult<Order>> {
  return toPageResult(await store.listOrdersForUser(userId, toPageRequest(query)));
}
