/**
 * Waits `ms`, or less: resolves (never rejects) as soon as `signal` aborts, so a loop that sleeps
 * between attempts checks `signal.aborted` afterwards and stops.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface Backoff {
  /** The first delay (attempt 1), in whatever unit the caller counts (ms, s). */
  base: number;
  /** No delay exceeds this. */
  cap: number;
  /**
   * true (default): "equal jitter", a uniform pick in [ceiling/2, ceiling], rounded to an integer,
   * so replicas that failed together do not retry together. false: exactly the ceiling.
   */
  jitter?: boolean;
  random?: () => number;
}

/**
 * The one exponential backoff: ceiling = min(cap, base * 2^(attempt-1)), attempt 1-based (0 and
 * fractions count as 1 and their floor). With jitter, the delay is picked in [ceiling/2, ceiling].
 */
export function backoffDelay(attempt: number, { base, cap, jitter = true, random = Math.random }: Backoff): number {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(cap, base * 2 ** (n - 1));
  return jitter ? Math.round(ceiling / 2 + (random() * ceiling) / 2) : ceiling;
}
