import { percentile } from '@oms/platform';

export interface ProcessingSummary {
  count: number;
  /** null when there is nothing to summarise. */
  avgMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

export function summarizeProcessingTimes(values: readonly number[]): ProcessingSummary {
  if (values.length === 0) return { count: 0, avgMs: null, p50Ms: null, p99Ms: null };
  const ascending = [...values].sort((a, b) => a - b);
  const sum = ascending.reduce((s, v) => s + v, 0);
  return {
    count: ascending.length,
    avgMs: Math.round(sum / ascending.length),
    p50Ms: percentile(ascending, 50),
    p99Ms: percentile(ascending, 99),
  };
}
