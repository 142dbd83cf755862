import { randomUUID } from 'node:crypto';
import type { OrderPlacedEvent, OrderPlacedV1 } from '@oms/contracts';

/** A valid order.placed event; `over` replaces fields of the data. */
export function orderPlaced(over: Partial<OrderPlacedV1> = {}): OrderPlacedEvent {
  const orderId = over.orderId ?? `ord-${randomUUID().slice(0, 8)}`;
  return {
    id: randomUUID(),
    type: 'order.placed',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'order-service',
    data: {
      orderId,
      userId: 'user-1',
      customer: { name: 'Asha Rao', email: 'asha@example.com' },
      items: [
        { productId: 'p-1', sku: 'TEA-250', name: 'Assam Tea 250g', unitPriceCents: 45000, quantity: 2, lineTotalCents: 90000 },
        { productId: 'p-2', sku: 'MUG-01', name: 'Steel Mug', unitPriceCents: 29900, quantity: 1, lineTotalCents: 29900 },
      ],
      totals: { subtotalCents: 119900, taxCents: 21582, totalCents: 141482 },
      currency: 'INR',
      tier: 'GOLD',
      priority: 'NORMAL',
      placedAt: new Date().toISOString(),
      ...over,
    },
  };
}
