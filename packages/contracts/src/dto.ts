import { z } from 'zod';
import { Currency, MinorUnits, OrderStatus, Role, Tier } from './common';

export const UserDto = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  role: Role,
  tier: Tier,
});
export type UserDto = z.infer<typeof UserDto>;

export const ProductDto = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  priceCents: MinorUnits,
  currency: Currency,
  stock: z.number().int(),
});
export type ProductDto = z.infer<typeof ProductDto>;

export const OrderLineDto = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  unitPriceCents: MinorUnits,
  quantity: z.number().int().positive(),
  lineTotalCents: MinorUnits,
});
export type OrderLineDto = z.infer<typeof OrderLineDto>;

export const OrderDto = z.object({
  id: z.string(),
  userId: z.string(),
  status: OrderStatus,
  tier: Tier,
  items: z.array(OrderLineDto),
  subtotalCents: MinorUnits,
  taxCents: MinorUnits,
  totalCents: MinorUnits,
  currency: Currency,
  createdAt: z.string(),
  processedAt: z.string().optional(),
  processingTimeMs: z.number().int().nonnegative().optional(),
  failureReason: z.string().optional(),
});
export type OrderDto = z.infer<typeof OrderDto>;

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });
