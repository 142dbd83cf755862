import type { AccessTokens } from '../application/identity/access-tokens';
import type { OrderFeed } from '../application/order-feed/order-feed';
import type { OrderServiceStore } from '../application/ports';
import type { QueueAdmin, RelayLag } from '../application/operations/queue-monitor';
import type { OrderServiceConfig } from '../config';

/** What route plugins receive as options: the ports and settings their use cases need. */
export interface RouteContext {
  config: OrderServiceConfig;
  store: OrderServiceStore;
  tokens: AccessTokens;
  now: () => Date;
  /** Called after an order commits so the outbox relay publishes it without waiting for its tick. */
  onOrderPlaced: () => void;
  /** Throws when the queue broker is unreachable (readiness). */
  queueReady: () => Promise<void>;
  /** The order change feed as this replica tails it; the SSE stream subscribes. */
  orderFeed: OrderFeed;
  /** Queue depths and DLQ redrive; null when there is no broker (some tests). */
  queueAdmin: QueueAdmin | null;
  relayLag: RelayLag;
}
