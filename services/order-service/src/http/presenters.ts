import type { OrderDto, ProductDto, UserDto } from '@oms/contracts';
import type { Order } from '../domain/order';
import type { Product } from '../domain/product';
import type { User } from '../domain/user';

/** Entities -> public JSON (contracts DTOs): ISO dates, absent instead of null, no secrets. */
export const toUserDto = (u: User): UserDto => ({ id: u.id, username: u.username, email: u.email, role: u.role, tier: u.tier });

export const toProductDto = (p: Product): ProductDto => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  priceCents: p.priceCents,
  currency: p.currency,
  stock: p.stock,
});

export const toOrderDto = (o: Order): OrderDto => ({
  id: o.id,
  userId: o.userId,
  status: o.status,
  tier: o.tier,
  items: o.items,
  subtotalCents: o.subtotalCents,
  taxCents: o.taxCents,
  totalCents: o.totalCents,
  currency: o.currency,
  createdAt: o.createdAt.toISOString(),
  ...(o.processedAt && { processedAt: o.processedAt.toISOString() }),
  ...(o.processingTimeMs !== null && { processingTimeMs: o.processingTimeMs }),
  ...(o.failureReason !== null && { failureReason: o.failureReason }),
});
