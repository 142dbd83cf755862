import type { OrderStatus } from '@oms/contracts';
import { NotFoundError } from '../shared/errors';
import { toPageRequest, toPageResult, type PageQuery, type PageResult } from '../shared/paging';
import type { Order } from '../../domain/order';
import type { OrderRepository } from './ports';

export interface AdminOrderFilters extends PageQuery {
  status?: OrderStatus | undefined;
  /** Inclusive. */
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
  /** Product name or sku, user name (substring, any case), or a total in minor units. */
  q?: string | undefined;
}

/** Every order, newest first, keyset-paged (no COUNT), narrowed by the filters. */
export async function searchOrders(store: OrderRepository, filters: AdminOrderFilters): Promise<PageResult<Order>> {
  const { status, from, to, q } = filters;
  const page = toPageRequest(filters);
  return toPageResult(
    await store.searchOrders({
      ...page,
      ...(status && { status }),
      ...(from && { from }),
      ...(to && { to }),
      ...(q && { q }),
    }),
  );
}

/**
 * An admin removes an order. A PENDING order's stock goes back on the shelf and its unpublished
 * event is dropped with it; an order past PENDING was (being) fulfilled, so its stock stays taken.
 */
export async function deleteOrder(store: OrderRepository, id: string): Promise<Order> {
  const removed = await store.deleteOrder(id);
  if (!removed) throw new NotFoundError('order-not-found', `order ${id} does not exist`);
  return removed;
}
