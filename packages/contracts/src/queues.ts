/** Logical queue keys; physical names come from configuration. */
export const QueueKey = {
  orders: 'orders',
  ordersPriority: 'orders-priority',
  orderStatus: 'order-status',
} as const;
export type QueueKey = (typeof QueueKey)[keyof typeof QueueKey];
export const DLQ_SUFFIX = '-dlq';
export const MAX_RECEIVE_COUNT = 5;
