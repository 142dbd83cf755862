/**
 * Everything one store adapter (infrastructure/sqlite, infrastructure/mongo) implements: the
 * repositories each feature declares next to its use cases, plus the outbox and lifecycle. Only the
 * composition root and the adapters see this union; use cases ask for the narrow port they need.
 * Ids are opaque strings chosen by the app (UUIDv7, time-ordered) so both adapters store the same values.
 */
import type { OutboxStore } from '@oms/outbox';
import type { ProductRepository } from './catalog/ports';
import type { RefreshTokenRepository, UserRepository } from './identity/ports';
import type { RateLimitCounters } from './operations/rate-limit-counters';
import type { OrderEventLog } from './order-feed/order-events';
import type { OrderRepository } from './orders/ports';

export interface OrderServiceStore
  extends UserRepository, RefreshTokenRepository, ProductRepository, OrderRepository, OrderEventLog, RateLimitCounters, OutboxStore {
  /** Cheap round trip for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
