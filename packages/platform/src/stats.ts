/** Nearest-rank percentile of ascending values: the smallest value with at least p% of the values at or below it. */
export function percentile(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[rank - 1] ?? null;
}
