export interface ProcessingSummary {
  count: number;
  /** null when there is nothing to summarise. */
  avgMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** Nearest-rank percentile of ascending values: the smallest value with at least p% of the values at or below it. */
export function percentile(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[rank - 1] ?? null;
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
