import type { Priority } from '@oms/contracts';

/** Seed 002's observation, carried on the status event and the inbox row. */
export const priorityNote = (priority: Priority): string =>
  priority === 'VIP' ? 'sent with priority' : 'processed without priority';
