import type { Priority } from '@oms/contracts';

/** Whether an order rode the priority queue, carried on the status event and the inbox row. */
export const priorityNote = (priority: Priority): string => (priority === 'VIP' ? 'sent with priority' : 'processed without priority');
