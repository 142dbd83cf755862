/** How long a health or monitoring probe waits for a dependency before reporting it down. */
export const PROBE_TIMEOUT_MS = 3_000;

/**
 * Settles like `work`, or rejects with "no answer within <ms> ms" if it has not settled by then.
 * For probes (readiness, queue depths) that must answer while a dependency hangs; the work itself
 * is not cancelled.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
