import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { OrderServiceEnv } from '../../../src/config';
import { openStore } from '../../../src/infrastructure/open-store';
import { openSqliteOrderStore } from '../../../src/infrastructure/sqlite';
import { FEED_SQL } from '../../../src/infrastructure/sqlite/sqlite-order-store';
import { describeLoadTestStoreContract } from '../load-test-store.contract';
import { describeOrderStoreContract } from '../order-store.contract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-sqlite-contract-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
describeOrderStoreContract('SQLite', () => openSqliteOrderStore(path.join(dir, `store-${++n}.sqlite`)));
describeLoadTestStoreContract('SQLite', () => openSqliteOrderStore(path.join(dir, `store-${++n}.sqlite`)));

describe('SQLite store specifics', () => {
  it('re-opens an existing file (schema creation is idempotent) and keeps the data', async () => {
    const file = path.join(dir, 'reopen.sqlite');
    const first = await openSqliteOrderStore(file);
    await first.createProduct({
      id: 'p1',
      sku: 'S1',
      name: 'Kept',
      priceCents: 1,
      currency: 'INR',
      stock: 1,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });
    await first.close();
    const second = await openSqliteOrderStore(file);
    expect((await second.getProduct('p1'))?.name).toBe('Kept');
    await second.close();
  });

  it('commits with synchronous=FULL (an answered order survives power loss) unless SQLITE_SYNCHRONOUS=NORMAL', async () => {
    const synchronousOf = async (env: Record<string, string>) => {
      const store = await openStore(OrderServiceEnv.parse({ SQLITE_PATH: path.join(dir, `sync-${++n}.sqlite`), ...env }));
      // The adapter's own connection: the setting is per connection, so another one would not tell.
      const value = (store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true });
      await store.close();
      return value;
    };
    expect(await synchronousOf({})).toBe(2); // FULL
    expect(await synchronousOf({ SQLITE_SYNCHRONOUS: 'NORMAL' })).toBe(1);
  });

  it('searches with any text an admin can type, control characters included', async () => {
    const store = await openSqliteOrderStore(path.join(dir, 'search-text.sqlite'));
    for (const q of ['a\u0000bcd', '\u0000', 'NEAR(a b)', 'a"b', '%_\\', '\ud800xyz']) {
      await expect(store.searchOrders({ limit: 5, after: null, q })).resolves.toEqual({ items: [], next: null });
    }
    await store.close();
  });
});

describe('SQLite query plans of the feed and rate-limit statements', () => {
  it('reads, prunes and counts through primary keys and the reset index: O(rows touched), no unbounded scan', async () => {
    const file = path.join(dir, 'plans.sqlite');
    await (await openSqliteOrderStore(file)).close();
    const db = new Database(file, { readonly: true });
    const plan = (sql: string, params: unknown) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params as never) as { detail: string }[]).map((r) => r.detail);
    try {
      expect(plan(FEED_SQL.orderEventsAfter, [0, 10])).toEqual([
        'SEARCH e USING INTEGER PRIMARY KEY (rowid>?)',
        'SEARCH o USING INDEX sqlite_autoindex_orders_1 (id=?) LEFT-JOIN',
      ]);
      const prune = plan(FEED_SQL.pruneOrderEvents, { limit: 10, before: 0 });
      expect(prune).toContain('SEARCH order_events USING INTEGER PRIMARY KEY (rowid=?)');
      expect(prune).toContain('SCAN order_events'); // under the inner LIMIT: the oldest `limit` rows in rowid order
      expect(prune.join('\n')).not.toMatch(/TEMP B-TREE/);
      expect(plan(FEED_SQL.pruneRateLimits, { now: 0, limit: 10 })).toEqual([
        'SEARCH rate_limits USING PRIMARY KEY (key=?)',
        'LIST SUBQUERY 1',
        'SEARCH rate_limits USING COVERING INDEX rate_limits_reset (reset_at<?)',
      ]);
    } finally {
      db.close();
    }
  });
});
