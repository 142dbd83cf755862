import type { OrderStatus } from '@oms/contracts';

/** Forward-only: a status never goes back, and terminal states never change. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['PROCESSING', 'PROCESSED', 'FAILED'],
  PROCESSING: ['PROCESSED', 'FAILED'],
  PROCESSED: [],
  FAILED: [],
};

const ALL = Object.keys(NEXT) as OrderStatus[];

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => NEXT[from].includes(to);

/** The states an order may be in for a change to `to` to apply; anything else is stale or a duplicate. */
export const predecessorsOf = (to: OrderStatus): OrderStatus[] => ALL.filter((from) => canTransition(from, to));

export const isTerminal = (status: OrderStatus): boolean => NEXT[status].length === 0;
