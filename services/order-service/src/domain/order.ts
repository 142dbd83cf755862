import type { OrderStatus, Tier } from '@oms/contracts';

/** A line as priced when the order was placed: later catalog changes do not touch it. */
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
