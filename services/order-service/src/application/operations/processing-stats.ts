import { summarizeProcessingTimes, type ProcessingSummary } from './processing-summary';
import type { OrderRepository } from '../orders/ports';

/**
 * The window the dashboard's processing figures cover: orders processed in the last 24 hours, at
 * most the newest 10,000 of them, so the query stays bounded however busy the system is.
 * Read from the store, so the figures survive restarts and agree across replicas.
 */
export const PROCESSING_WINDOW_MS = 24 * 60 * 60 * 1000;
export const PROCESSING_SAMPLE_LIMIT = 10_000;

export async function processingStats(store: OrderRepository, now: Date): Promise<ProcessingSummary> {
  const times = await store.recentProcessingTimes({
    since: new Date(now.getTime() - PROCESSING_WINDOW_MS),
    limit: PROCESSING_SAMPLE_LIMIT,
  });
  return summarizeProcessingTimes(times);
}
