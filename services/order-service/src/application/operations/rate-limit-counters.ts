/**
 * Rate-limit counters kept in the service's database, so that every replica counts against the
 * same quota. Fixed windows: the first hit after a window ended starts the next one.
 */
export interface RateLimitCounters {
  /** Counts one hit on `key`, atomically across replicas; returns the count in the window and when it ends. */
  hitRateLimit(key: string, windowMs: number, now: Date): Promise<{ count: number; resetAt: Date }>;
  /** Removes up to `limit` counters whose window ended before `now`; returns how many went. */
  pruneRateLimits(now: Date, limit: number): Promise<number>;
}
