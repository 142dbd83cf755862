import { Schema } from 'mongoose';
import type { OrderStatus, Role, Tier } from '@oms/contracts';
import type { OrderEventType } from '../../application/order-feed/order-events';
import type { Order, OrderLine } from '../../domain/order';
import type { PlaceOrderRequest } from '../../application/orders/ports';
import type { Product } from '../../domain/product';
import type { RefreshToken } from '../../application/identity/ports';
import type { User } from '../../domain/user';

/**
 * Stored shapes and their pure mappings to the ports' plain objects. Ids are the app's own
 * strings, stored as _id; times are BSON dates; absent values are null, as the ports say.
 */
export interface UserDoc {
  _id: string;
  username: string;
  email: string;
  passwordHash: string;
  role: Role;
  tier: Tier;
  createdAt: Date;
}

/** _id is the sha-256 of the token. */
export interface RefreshTokenDoc {
  _id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface ProductDoc {
  _id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderDoc {
  _id: string;
  userId: string;
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
  /** Null without an Idempotency-Key; the unique index covers only string keys. */
  idempotencyKey: string | null;
  requestHash: string;
}

export const toUserDoc = ({ id, ...rest }: User): UserDoc => ({ _id: id, ...rest });
export const toUser = (d: UserDoc): User => ({
  id: d._id,
  username: d.username,
  email: d.email,
  passwordHash: d.passwordHash,
  role: d.role,
  tier: d.tier,
  createdAt: d.createdAt,
});

export const toRefreshTokenDoc = ({ tokenHash, ...rest }: RefreshToken): RefreshTokenDoc => ({ _id: tokenHash, ...rest });
export const toRefreshToken = (d: RefreshTokenDoc): RefreshToken => ({
  tokenHash: d._id,
  userId: d.userId,
  familyId: d.familyId,
  expiresAt: d.expiresAt,
  usedAt: d.usedAt ?? null,
  revokedAt: d.revokedAt ?? null,
});

export const toProductDoc = ({ id, ...rest }: Product): ProductDoc => ({ _id: id, ...rest });
export const toProduct = (d: ProductDoc): Product => ({
  id: d._id,
  sku: d.sku,
  name: d.name,
  priceCents: d.priceCents,
  currency: d.currency,
  stock: d.stock,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export const toOrderDoc = ({ id, ...rest }: Order, req: Pick<PlaceOrderRequest, 'idempotencyKey' | 'requestHash'>): OrderDoc => ({
  _id: id,
  ...rest,
  idempotencyKey: req.idempotencyKey,
  requestHash: req.requestHash,
});
export const toOrder = (d: OrderDoc): Order => ({
  id: d._id,
  userId: d.userId,
  username: d.username,
  status: d.status,
  tier: d.tier,
  items: d.items.map((l) => ({
    productId: l.productId,
    sku: l.sku,
    name: l.name,
    unitPriceCents: l.unitPriceCents,
    quantity: l.quantity,
    lineTotalCents: l.lineTotalCents,
  })),
  subtotalCents: d.subtotalCents,
  taxCents: d.taxCents,
  totalCents: d.totalCents,
  currency: d.currency,
  createdAt: d.createdAt,
  processedAt: d.processedAt ?? null,
  processingTimeMs: d.processingTimeMs ?? null,
  failureReason: d.failureReason ?? null,
});

const options = { versionKey: false, strictQuery: 'throw' } as const;
const str = { type: String, required: true } as const;
const int = { type: Number, required: true } as const;
const date = { type: Date, required: true } as const;

export const userSchema = new Schema<UserDoc>(
  {
    _id: str,
    username: str,
    email: str,
    passwordHash: str,
    role: { type: String, enum: ['customer', 'admin'], required: true },
    tier: { type: String, enum: ['BRONZE', 'SILVER', 'GOLD', 'DIAMOND'], required: true },
    createdAt: date,
  },
  options,
);
userSchema.index({ email: 1 }, { name: 'users_email', unique: true });

export const refreshTokenSchema = new Schema<RefreshTokenDoc>(
  {
    _id: str,
    userId: str,
    familyId: str,
    expiresAt: date,
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  options,
);
refreshTokenSchema.index({ familyId: 1 }, { name: 'refresh_tokens_family' });
refreshTokenSchema.index({ userId: 1 }, { name: 'refresh_tokens_user' });

export const productSchema = new Schema<ProductDoc>(
  {
    _id: str,
    sku: str,
    name: str,
    priceCents: int,
    currency: str,
    stock: { type: Number, required: true, min: 0 },
    createdAt: date,
    updatedAt: date,
  },
  options,
);
productSchema.index({ sku: 1 }, { name: 'products_sku', unique: true });
productSchema.index({ createdAt: 1, _id: 1 }, { name: 'products_page' });

const orderLineSchema = new Schema<OrderLine>(
  { productId: str, sku: str, name: str, unitPriceCents: int, quantity: int, lineTotalCents: int },
  { _id: false, versionKey: false },
);

export const orderSchema = new Schema<OrderDoc>(
  {
    _id: str,
    userId: str,
    username: str,
    status: { type: String, enum: ['PENDING', 'PROCESSING', 'PROCESSED', 'FAILED'], required: true },
    tier: { type: String, enum: ['BRONZE', 'SILVER', 'GOLD', 'DIAMOND'], required: true },
    items: { type: [orderLineSchema], required: true },
    subtotalCents: int,
    taxCents: int,
    totalCents: int,
    currency: str,
    createdAt: date,
    processedAt: { type: Date, default: null },
    processingTimeMs: { type: Number, default: null },
    failureReason: { type: String, default: null },
    idempotencyKey: { type: String, default: null },
    requestHash: str,
  },
  options,
);
orderSchema.index(
  { userId: 1, idempotencyKey: 1 },
  { name: 'orders_idempotency', unique: true, partialFilterExpression: { idempotencyKey: { $type: 'string' } } },
);
// Keyset pages (newest first) for everyone, per status and per user; each index also serves the reverse order.
orderSchema.index({ createdAt: 1, _id: 1 }, { name: 'orders_page' });
orderSchema.index({ status: 1, createdAt: 1, _id: 1 }, { name: 'orders_status_page' });
orderSchema.index({ userId: 1, createdAt: 1, _id: 1 }, { name: 'orders_user_page' });
// Admin search: amount equality, and index-only scans for the name / sku / user name matches.
orderSchema.index({ totalCents: 1 }, { name: 'orders_total' });
// Processing-time figures over the most recently processed orders.
orderSchema.index({ status: 1, processedAt: 1 }, { name: 'orders_processed' });
orderSchema.index({ 'items.name': 1 }, { name: 'orders_item_name' });
orderSchema.index({ 'items.sku': 1 }, { name: 'orders_item_sku' });
orderSchema.index({ username: 1 }, { name: 'orders_username' });

/** An entry of the order change feed; _id is its sequence (from the `order_counters` document of the same name). */
export interface OrderEventDoc {
  _id: number;
  type: OrderEventType;
  orderId: string;
  userId: string;
  status: OrderStatus;
  processedAt: Date | null;
  processingTimeMs: number | null;
  failureReason: string | null;
  at: Date;
}

export const toOrderEventDoc = (seq: number, type: OrderEventType, o: Order, at: Date): OrderEventDoc => ({
  _id: seq,
  type,
  orderId: o.id,
  userId: o.userId,
  status: o.status,
  processedAt: o.processedAt,
  processingTimeMs: o.processingTimeMs,
  failureReason: o.failureReason,
  at,
});

export const orderEventSchema = new Schema<OrderEventDoc>(
  {
    _id: int,
    type: str,
    orderId: str,
    userId: str,
    status: str,
    processedAt: { type: Date, default: null },
    processingTimeMs: { type: Number, default: null },
    failureReason: { type: String, default: null },
    at: date,
  },
  options,
);

/** A rate-limit counter; the TTL index removes it once its window has ended. */
export interface RateLimitDoc {
  _id: string;
  count: number;
  resetAt: Date;
}

export const rateLimitSchema = new Schema<RateLimitDoc>({ _id: str, count: int, resetAt: date }, options);
rateLimitSchema.index({ resetAt: 1 }, { name: 'rate_limits_ttl', expireAfterSeconds: 0 });
