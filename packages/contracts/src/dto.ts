import { z } from 'zod';
import { Currency, MinorUnits, OrderStatus, Role, Tier } from './common';

export const UserDto = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string(),
    role: Role,
    tier: Tier,
  })
  .meta({
    example: { id: '01936f7e-2b10-7c4d-8e5f-6a7b8c9d0e1f', username: 'asha', email: 'asha@example.com', role: 'customer', tier: 'BRONZE' },
  });
export type UserDto = z.infer<typeof UserDto>;

export const ProductDto = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    priceCents: MinorUnits,
    currency: Currency,
    stock: z.number().int(),
  })
  .meta({
    example: {
      id: '01936f7e-3c1a-7b2e-9d4f-5a6b7c8d9e0f',
      sku: 'KETTLE-1',
      name: 'Copper kettle',
      priceCents: 100000,
      currency: 'INR',
      stock: 3,
    },
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

export const OrderDto = z
  .object({
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
  })
  .meta({
    example: {
      id: '01936f7e-4d2b-7f3a-8b1c-2d3e4f5a6b7c',
      userId: '01936f7e-2b10-7c4d-8e5f-6a7b8c9d0e1f',
      status: 'PROCESSED',
      tier: 'BRONZE',
      items: [
        {
          productId: '01936f7e-3c1a-7b2e-9d4f-5a6b7c8d9e0f',
          sku: 'KETTLE-1',
          name: 'Copper kettle',
          unitPriceCents: 100000,
          quantity: 2,
          lineTotalCents: 200000,
        },
      ],
      subtotalCents: 200000,
      taxCents: 36000,
      totalCents: 236000,
      currency: 'INR',
      createdAt: '2026-12-01T18:00:00.000Z',
      processedAt: '2026-12-01T18:00:00.045Z',
      processingTimeMs: 45,
    },
  });
export type OrderDto = z.infer<typeof OrderDto>;

export const page = <T extends z.ZodTypeAny>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });
