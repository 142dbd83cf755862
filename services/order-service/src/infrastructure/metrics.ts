import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { priorityOf } from '@oms/contracts';
import type { OutboxStore } from '@oms/outbox';
import { overrideMethods } from '../application/shared/override-methods';
import type { OrderRepository } from '../application/orders/ports';
import type { CacheStats } from '../application/catalog/read-cache';

export type OrderServiceMetrics = ReturnType<typeof createOrderServiceMetrics>;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics of one order-service app, in their own registry (tests run several apps in
 * one process). Backlog and cache figures are read when scraped, so they cost nothing between scrapes.
 */
// Long by design: a table of metric definitions (one per metric, each with its collector), read top to bottom.
export function createOrderServiceMetrics(sources: { outbox: OutboxStore; cache: () => CacheStats }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const { outbox, cache } = sources;
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route pattern (not raw URL, to bound cardinality), method and status',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    ordersPlaced: new Counter({
      name: 'oms_orders_placed_total',
      help: 'Orders committed (idempotent replays not counted), by customer tier and queue priority',
      labelNames: ['tier', 'priority'] as const,
      registers,
    }),
    statusEvents: new Counter({
      name: 'oms_order_status_events_total',
      help: 'order.status-changed events from the processing service: applied, or ignored as stale/duplicate',
      labelNames: ['result', 'status'] as const,
      registers,
    }),
    relayPublishLatency: new Histogram({
      name: 'oms_outbox_publish_latency_seconds',
      help: 'Time from order commit (outbox row written) to the event being accepted by the queue',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    outboxBacklog: new Gauge({
      name: 'oms_outbox_backlog',
      help: 'Outbox rows not yet published: pending (will be retried) and failed (parked for an operator)',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const stats = await outbox.outboxStats(new Date());
        this.set({ status: 'pending' }, stats.pending);
        this.set({ status: 'failed' }, stats.failed);
      },
    }),
    outboxOldestPendingAge: new Gauge({
      name: 'oms_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest pending outbox row, 0 when none (relay lag)',
      registers,
      async collect() {
        this.set((await outbox.outboxStats(new Date())).oldestPendingAgeMs / 1000);
      },
    }),
    cacheHits: new Counter({
      name: 'oms_cache_hits_total',
      help: 'Read-cache hits (product list and get)',
      registers,
      collect() {
        this.reset();
        this.inc(cache().hits);
      },
    }),
    cacheMisses: new Counter({
      name: 'oms_cache_misses_total',
      help: 'Read-cache misses (product list and get)',
      registers,
      collect() {
        this.reset();
        this.inc(cache().misses);
      },
    }),
    cacheHitRatio: new Gauge({
      name: 'oms_cache_hit_ratio',
      help: 'hits / (hits + misses) since start, 0 before the first lookup',
      registers,
      collect() {
        this.set(hitRatio(cache()));
      },
    }),
  };
}

export const hitRatio = ({ hits, misses }: CacheStats): number => (hits + misses === 0 ? 0 : hits / (hits + misses));

/** The relay's onPublished hook: ages are ms from commit to publish. */
export const relayPublishObserver = (metrics: OrderServiceMetrics) => (_count: number, ages: number[]) => {
  for (const ageMs of ages) metrics.relayPublishLatency.observe(ageMs / 1000);
};

/** Counts committed orders and applied/ignored status changes as they pass through the store port. */
export function withStoreMetrics<S extends OrderRepository>(store: S, metrics: OrderServiceMetrics): S {
  const overrides: Partial<OrderRepository> = {
    async placeOrder(req) {
      const result = await store.placeOrder(req);
      if (result.kind === 'created') {
        metrics.ordersPlaced.inc({ tier: result.order.tier, priority: priorityOf(result.order.tier) });
      }
      return result;
    },
    async applyStatusChange(change) {
      const updated = await store.applyStatusChange(change);
      metrics.statusEvents.inc({ result: updated ? 'applied' : 'ignored', status: change.to });
      return updated;
    },
    async applyStatusChanges(changes) {
      const updated = await store.applyStatusChanges(changes);
      changes.forEach((change, i) => metrics.statusEvents.inc({ result: updated[i] ? 'applied' : 'ignored', status: change.to }));
      return updated;
    },
  };
  return overrideMethods(store, overrides as Partial<S>);
}
