import { ReadCache } from '../../../src/application/catalog/read-cache';

/** A load the test finishes by hand, to interleave it with writes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ReadCache', () => {
  it('serves the second read from memory and counts hits and misses', async () => {
    const cache = new ReadCache({ ttlMs: 60_000, max: 10 });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    expect(await cache.getOrLoad('k', load)).toEqual({ n: 1 });
    expect(await cache.getOrLoad('k', load)).toEqual({ n: 1 });
    expect(await cache.getOrLoad('other', load)).toEqual({ n: 2 });
    expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
  });

  it('drops invalidated keys, and prefixes', async () => {
    const cache = new ReadCache({ ttlMs: 60_000, max: 10 });
    let loads = 0;
    const load = async () => ++loads;
    await cache.getOrLoad('a:1', load);
    await cache.getOrLoad('a:2', load);
    await cache.getOrLoad('b:1', load);
    cache.invalidate('b:1');
    cache.invalidatePrefix('a:');
    expect([await cache.getOrLoad('a:1', load), await cache.getOrLoad('a:2', load), await cache.getOrLoad('b:1', load)]).toEqual([4, 5, 6]);
  });

  it('never stores a value loaded before an invalidation that happened while it loaded', async () => {
    const cache = new ReadCache({ ttlMs: 60_000, max: 10 });
    const slow = deferred<string>();
    const pending = cache.getOrLoad('p', () => slow.promise);
    cache.invalidate('p'); // a write commits while the read is in flight
    slow.resolve('stale');
    expect(await pending).toBe('stale'); // that caller raced the write; nobody after it may see it
    expect(await cache.getOrLoad('p', async () => 'fresh')).toBe('fresh');
  });

  it('does not keep null (unknown ids), and forgets entries after the TTL', async () => {
    const cache = new ReadCache({ ttlMs: 20, max: 10 });
    await cache.getOrLoad('missing', async () => null);
    expect(await cache.getOrLoad('missing', async () => 'now there')).toBe('now there');
    await new Promise((r) => setTimeout(r, 60));
    expect(await cache.getOrLoad('missing', async () => 'reloaded')).toBe('reloaded');
  });
});
