import { TTLCache } from '@isaacs/ttlcache';

export interface CacheStats {
  hits: number;
  misses: number;
}

export interface ReadCacheOptions {
  ttlMs: number;
  /** Entry cap; the oldest entries go first when it is reached. */
  max: number;
}

/**
 * A TTL cache for hot reads with hit/miss counts. Per process: with several replicas each keeps
 * its own, so a write made through another replica shows here only after the TTL.
 */
export class ReadCache {
  private readonly entries: TTLCache<string, unknown>;
  /** Bumped by every invalidation: a load that started before one must not fill the cache after it. */
  private generation = 0;
  private hits = 0;
  private misses = 0;

  constructor(opts: ReadCacheOptions) {
    // checkAgeOnHas: expiry is exact even when the purge timer runs late on a busy process.
    this.entries = new TTLCache({ ttl: opts.ttlMs, max: opts.max, checkAgeOnHas: true });
  }

  async getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.entries.has(key)) {
      this.hits++;
      return this.entries.get(key) as T;
    }
    this.misses++;
    const startedAt = this.generation;
    const value = await load();
    // null (unknown id) is not kept, so junk ids cannot push hot entries out.
    if (value !== null && startedAt === this.generation) this.entries.set(key, value);
    return value;
  }

  invalidate(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  invalidatePrefix(prefix: string): void {
    this.generation++;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses };
  }
}
