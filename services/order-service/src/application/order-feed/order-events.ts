import type { Order } from '../../domain/order';

/**
 * One entry of the order change feed (live updates). The store writes it in the same
 * transaction as the change it records, with a sequence number that grows in commit order, so every
 * replica reads the same events in the same order. `order.created` and `order.status-changed` carry
 * the order as it was right after that change; `order.deleted` only whose order it was.
 */
export type OrderEvent =
  | { seq: number; type: 'order.created' | 'order.status-changed'; order: Order }
  | { seq: number; type: 'order.deleted'; orderId: string; userId: string };

export type OrderEventType = OrderEvent['type'];

/** A read of the feed: the events, the sequence of the last row read (afterSeq when none), whether more may follow. */
export interface OrderEventPage {
  events: OrderEvent[];
  upTo: number;
  more: boolean;
}

/** The stored feed (`order_events`): read in sequence order, pruned by age. */
export interface OrderEventLog {
  /**
   * Events with seq > afterSeq in sequence order, at most `limit` of them. An event of an order
   * deleted since is left out (its `order.deleted` follows).
   */
  readOrderEvents(afterSeq: number, limit: number): Promise<OrderEventPage>;
  /** Sequence of the newest event; 0 when there has been none. */
  lastOrderEventSeq(): Promise<number>;
  /** Sequence of the oldest event still kept; null when none is. */
  firstOrderEventSeq(): Promise<number | null>;
  /** Removes up to `limit` of the oldest events written before `before`; returns how many went. */
  pruneOrderEvents(before: Date, limit: number): Promise<number>;
  /** Stores that can push (MongoDB change streams) call onChange when events arrive; polling stays the guarantee. */
  watchOrderEvents?(onChange: () => void, onError: (err: unknown) => void): () => void;
}
