import type { OrderStatus, Role, Tier } from '@oms/contracts';
import type { OrderEvent, OrderEventType } from '../../application/order-feed/order-events';
import type { Order, OrderLine } from '../../domain/order';
import type { Product } from '../../domain/product';
import type { RefreshToken } from '../../application/identity/ports';
import type { User } from '../../domain/user';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  role: Role;
  tier: Tier;
  created_at: number;
}

export interface RefreshTokenRow {
  token_hash: string;
  user_id: string;
  family_id: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  price_cents: number;
  currency: string;
  stock: number;
  created_at: number;
  updated_at: number;
}

export interface OrderRow {
  id: string;
  user_id: string;
  username: string;
  status: OrderStatus;
  tier: Tier;
  items: string;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  currency: string;
  created_at: number;
  processed_at: number | null;
  processing_time_ms: number | null;
  failure_reason: string | null;
  request_hash: string;
}

const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
export const msOrNull = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);

export const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  email: r.email,
  passwordHash: r.password_hash,
  role: r.role,
  tier: r.tier,
  createdAt: new Date(r.created_at),
});

export const toRefreshToken = (r: RefreshTokenRow): RefreshToken => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  familyId: r.family_id,
  expiresAt: new Date(r.expires_at),
  usedAt: dateOrNull(r.used_at),
  revokedAt: dateOrNull(r.revoked_at),
});

export const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  priceCents: r.price_cents,
  currency: r.currency,
  stock: r.stock,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  status: r.status,
  tier: r.tier,
  items: JSON.parse(r.items) as OrderLine[],
  subtotalCents: r.subtotal_cents,
  taxCents: r.tax_cents,
  totalCents: r.total_cents,
  currency: r.currency,
  createdAt: new Date(r.created_at),
  processedAt: dateOrNull(r.processed_at),
  processingTimeMs: r.processing_time_ms,
  failureReason: r.failure_reason,
});

/** The orders row of an order, as the column values in ORDER_COLUMNS order (shared by placeOrder and the bulk path). */
export const ORDER_COLUMNS = [
  'id',
  'user_id',
  'username',
  'status',
  'tier',
  'items',
  'search_text',
  'subtotal_cents',
  'tax_cents',
  'total_cents',
  'currency',
  'created_at',
  'processed_at',
  'processing_time_ms',
  'failure_reason',
  'idempotency_key',
  'request_hash',
  'search_id',
] as const;

/** What admin search matches besides the shopper's name: product names and skus, one per line. */
export const itemsText = (o: Order): string => o.items.flatMap((l) => [l.name, l.sku]).join('\n');

export const orderValues = (o: Order, idempotencyKey: string | null, requestHash: string, searchId: number): unknown[] => [
  o.id,
  o.userId,
  o.username,
  o.status,
  o.tier,
  JSON.stringify(o.items),
  itemsText(o),
  o.subtotalCents,
  o.taxCents,
  o.totalCents,
  o.currency,
  o.createdAt.getTime(),
  msOrNull(o.processedAt),
  o.processingTimeMs,
  o.failureReason,
  idempotencyKey,
  requestHash,
  searchId,
];

/** An order_events row with its order joined in (o.* is all null when the order is gone). */
export interface OrderEventRow extends Omit<OrderRow, 'id' | 'status' | 'processed_at' | 'processing_time_ms' | 'failure_reason'> {
  seq: number;
  type: OrderEventType;
  event_order_id: string;
  event_user_id: string;
  event_status: OrderStatus;
  event_processed_at: number | null;
  event_processing_time_ms: number | null;
  event_failure_reason: string | null;
  id: string | null;
}

/** The event, with the order as that change left it; null for an event of an order deleted since. */
export function toOrderEvent(r: OrderEventRow): OrderEvent | null {
  if (r.type === 'order.deleted') return { seq: r.seq, type: r.type, orderId: r.event_order_id, userId: r.event_user_id };
  if (r.id === null) return null;
  const order = toOrder({
    ...r,
    id: r.id,
    status: r.event_status,
    processed_at: r.event_processed_at,
    processing_time_ms: r.event_processing_time_ms,
    failure_reason: r.event_failure_reason,
  });
  return { seq: r.seq, type: r.type, order };
}

/** The order_events values (ORDER_EVENT_COLUMNS order) recording `order` after a change. */
export const ORDER_EVENT_COLUMNS = [
  'type',
  'order_id',
  'user_id',
  'status',
  'processed_at',
  'processing_time_ms',
  'failure_reason',
  'at',
] as const;
export const orderEventValues = (type: OrderEventType, o: Order, at: number): unknown[] => [
  type,
  o.id,
  o.userId,
  o.status,
  msOrNull(o.processedAt),
  o.processingTimeMs,
  o.failureReason,
  at,
];
