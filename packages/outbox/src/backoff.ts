/** Exponential backoff with full jitter, capped; attempt is 1-based. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 60_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
