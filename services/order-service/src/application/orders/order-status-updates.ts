import type { OrderStatusChangedEvent } from '@oms/contracts';
import { isTerminal, predecessorsOf } from '../../domain/order-status';
import type { Order } from '../../domain/order';
import type { OrderRepository, StatusChange } from './ports';

/** The conditional update a status event asks for: only forward moves apply. */
export function toStatusChange(event: OrderStatusChangedEvent): StatusChange {
  const { orderId, status, reason, processedAt, processingTimeMs } = event.data;
  const terminal = isTerminal(status);
  return {
    orderId,
    to: status,
    from: predecessorsOf(status),
    processedAt: terminal ? new Date(processedAt) : null,
    processingTimeMs: terminal ? processingTimeMs : null,
    failureReason: status === 'FAILED' ? (reason ?? 'processing failed') : null,
  };
}

/**
 * Applies a status event from the processing service. Only forward moves apply; a stale or
 * duplicate event (or one for an unknown order) changes nothing and returns null.
 */
export async function applyStatusEvent(store: OrderRepository, event: OrderStatusChangedEvent): Promise<Order | null> {
  return store.applyStatusChange(toStatusChange(event));
}

/** applyStatusEvent for a batch of events in ONE store transaction; results line up with the events. */
export async function applyStatusEvents(store: OrderRepository, batch: OrderStatusChangedEvent[]): Promise<(Order | null)[]> {
  return store.applyStatusChanges(batch.map(toStatusChange));
}
