import { OrderDto } from '@oms/contracts';
import type { OutboxMessage } from '@oms/outbox';
import { z } from 'zod';
import type { Order } from '../domain/order';
import { toOrderDto } from './presenters';

/** Admins see whose order it is. */
export const AdminOrderDto = OrderDto.extend({ username: z.string() });
export type AdminOrderDto = z.infer<typeof AdminOrderDto>;
export const toAdminOrderDto = (o: Order): AdminOrderDto => ({ ...toOrderDto(o), username: o.username });

/** An outbox row for operators; the payload (customer data) stays out of it. */
export const OutboxRowDto = z.object({
  id: z.string(),
  aggregateId: z.string(),
  type: z.string(),
  destination: z.string(),
  status: z.enum(['pending', 'published', 'failed']),
  attempts: z.number().int(),
  occurredAt: z.string(),
  nextAttemptAt: z.string(),
  publishedAt: z.string().optional(),
  lastError: z.string().optional(),
});
export type OutboxRowDto = z.infer<typeof OutboxRowDto>;
export const toOutboxRowDto = (m: OutboxMessage): OutboxRowDto => ({
  id: m.id,
  aggregateId: m.aggregateId,
  type: m.type,
  destination: m.destination,
  status: m.status,
  attempts: m.attempts,
  occurredAt: m.occurredAt.toISOString(),
  nextAttemptAt: m.nextAttemptAt.toISOString(),
  ...(m.publishedAt && { publishedAt: m.publishedAt.toISOString() }),
  ...(m.lastError !== null && { lastError: m.lastError }),
});

const count = z.number().int().nonnegative();
export const QueueOverviewDto = z.object({
  queues: z.array(
    z.object({
      name: z.string(),
      visible: count,
      inFlight: count,
      delayed: count,
      dlq: z.object({ name: z.string(), visible: count }),
    }),
  ),
  queuesError: z.string().optional(),
  outbox: z.object({ pending: count, failed: count, oldestPendingAgeMs: z.number().nonnegative() }),
  relayLagMs: z.number().nonnegative(),
});

const msOrNull = z.number().nonnegative().nullable();
export const AdminStatsDto = z.object({
  cache: z.object({ hits: count, misses: count, hitRatio: z.number().min(0).max(1) }),
  processing: z.object({ count, avgMs: msOrNull, p50Ms: msOrNull, p99Ms: msOrNull }),
});
