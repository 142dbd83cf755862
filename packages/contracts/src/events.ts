import { z } from 'zod';
import { Currency, MinorUnits, OrderStatus, Priority, Tier } from './common';
import { OrderLineDto } from './dto';

export const OrderPlacedV1 = z.object({
  orderId: z.string(),
  userId: z.string(),
  customer: z.object({ name: z.string(), email: z.email() }),
  items: z.array(OrderLineDto).min(1),
  totals: z.object({ subtotalCents: MinorUnits, taxCents: MinorUnits, totalCents: MinorUnits }),
  currency: Currency,
  tier: Tier,
  priority: Priority,
  placedAt: z.iso.datetime(),
});
export type OrderPlacedV1 = z.infer<typeof OrderPlacedV1>;

export const OrderStatusChangedV1 = z.object({
  orderId: z.string(),
  status: OrderStatus,
  reason: z.string().optional(),
  processedAt: z.iso.datetime(),
  processingTimeMs: z.number().int().nonnegative(),
  /** "sent with priority" / "processed without priority": the observation shown to the shopper. */
  note: z.string().optional(),
  /**
   * On PROCESSED / FAILED: when processing began. The PROCESSING event itself is sent only for
   * orders still in hand after a moment (see the processing service), so this carries the start.
   */
  startedAt: z.iso.datetime().optional(),
});
export type OrderStatusChangedV1 = z.infer<typeof OrderStatusChangedV1>;

const envelope = <T extends string, D extends z.ZodTypeAny>(type: T, data: D) =>
  z.object({
    id: z.uuid(),
    type: z.literal(type),
    version: z.literal(1),
    occurredAt: z.iso.datetime(),
    source: z.string().min(1),
    data,
  });

export const OrderPlacedEvent = envelope('order.placed', OrderPlacedV1);
export type OrderPlacedEvent = z.infer<typeof OrderPlacedEvent>;
export const OrderStatusChangedEvent = envelope('order.status-changed', OrderStatusChangedV1);
export type OrderStatusChangedEvent = z.infer<typeof OrderStatusChangedEvent>;

export const IntegrationEvent = z.discriminatedUnion('type', [OrderPlacedEvent, OrderStatusChangedEvent]);
export type IntegrationEvent = z.infer<typeof IntegrationEvent>;
export type EventType = IntegrationEvent['type'];

export type ParsedEvent = { ok: true; event: IntegrationEvent } | { ok: false; error: string };

/** Parses a raw queue body; never throws, so a poison message cannot crash a consumer. */
export function parseEvent(body: string | undefined): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  const result = IntegrationEvent.safeParse(json);
  return result.success ? { ok: true, event: result.data } : { ok: false, error: z.prettifyError(result.error) };
}
