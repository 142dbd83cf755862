import type { OrderStatusChangedEvent } from '@oms/contracts';
import { isTerminal, predecessorsOf } from '../domain/order-status';
import type { Order, OrderStore } from './ports';

/**
 * Applies a status event from the processing service. Only forward moves apply; a stale or
 * duplicate event (or one for an unknown order) changes nothing and returns null.
 */
export async function applyStatusEvent(store: OrderStore, event: OrderStatusChangedEvent): Promise<Order | null> {
  const { orderId, status, reason, processedAt, processingTimeMs } = event.data;
  const terminal = isTerminal(status);
  return store.applyStatusChange({
    orderId,
    to: status,
    from: predecessorsOf(status),
    processedAt: terminal ? new Date(processedAt) : null,
    processingTimeMs: terminal ? processingTimeMs : null,
    failureReason: status === 'FAILED' ? (reason ?? 'processing failed') : null,
  });
}
