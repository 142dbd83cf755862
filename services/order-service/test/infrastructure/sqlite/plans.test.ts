import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_TIER_MIX } from '@oms/contracts';
import { costlyPlanSteps, statementLog } from '@oms/platform/sqlite';
import { BulkOrderFactory } from '../../../src/loadtest/bulk-orders';
import { openSqliteOrderStore } from '../../../src/infrastructure/sqlite';

// 5,000 orders and a plan per statement: seconds on a busy machine.
jest.setTimeout(60_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-sqlite-plans-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TABLES = ['orders', 'outbox', 'users', 'products'];

/**
 * The queries the order service runs per event, per poll or per dashboard refresh must cost what
 * they return, not what is stored: each is planned against a file holding a backlog of orders.
 */
describe('SQLite order store: hot queries cost O(batch), not O(stored rows)', () => {
  it('applies status changes, serves admin stats, pages, filters and searches orders and reports the outbox through indexes', async () => {
    const file = path.join(dir, 'plans.sqlite');
    const log = statementLog();
    const store = await openSqliteOrderStore(file, { verbose: log.verbose });
    const now = new Date();
    const factory = await BulkOrderFactory.prepare(store, { taxRateBps: 1800, mix: DEFAULT_TIER_MIX, now });
    const { orders, outbox } = factory.chunk(0, 5_000, now);
    await store.loadTest.bulkInsertOrders(orders, outbox);
    log.take();

    const applied = await store.applyStatusChanges(
      orders.slice(0, 50).map((o) => ({
        orderId: o.id,
        to: 'PROCESSED' as const,
        from: ['PENDING' as const, 'PROCESSING' as const],
        processedAt: now,
        processingTimeMs: 12,
        failureReason: null,
      })),
    );
    const times = await store.recentProcessingTimes({ since: new Date(now.getTime() - 86_400_000), limit: 10_000 });
    const page = await store.searchOrders({ limit: 50, after: null, status: 'PENDING' });
    await store.searchOrders({ limit: 50, after: page.next, from: new Date(now.getTime() - 1000), to: new Date(now.getTime() + 1000) });
    await store.listOrdersForUser(orders[0]!.userId, { limit: 20, after: null });
    // Admin free-text search: a text no order has, a product every order has, a shopper's name, an amount.
    const none = await store.searchOrders({ limit: 50, after: null, q: 'no such product' });
    const product = await store.searchOrders({ limit: 50, after: null, q: orders[0]!.items[0]!.name.toUpperCase() });
    const secondPage = await store.searchOrders({ limit: 50, after: product.next, q: orders[0]!.items[0]!.name });
    const shopper = await store.searchOrders({ limit: 50, after: null, q: orders[0]!.username, status: 'PENDING' });
    const amount = await store.searchOrders({ limit: 50, after: null, q: String(orders[0]!.totalCents) });
    const stats = await store.outboxStats(now);
    const statements = log.take();
    await store.close();

    const db = new Database(file, { readonly: true });
    expect(statements.flatMap((sql) => costlyPlanSteps(db, sql, TABLES))).toEqual([]);
    db.close();
    expect(applied.filter(Boolean)).toHaveLength(50);
    expect(times).toHaveLength(50);
    expect(page.items).toHaveLength(50);
    expect(stats.pending).toBe(5_000);
    expect(none).toEqual({ items: [], next: null });
    const newest = [...orders].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    expect([...product.items, ...secondPage.items].map((o) => o.id)).toEqual(newest.slice(0, 100).map((o) => o.id));
    expect(shopper.items.every((o) => o.username === orders[0]!.username && o.status === 'PENDING')).toBe(true);
    expect(shopper.items).toHaveLength(50);
    expect(amount.items).toHaveLength(50);
  });
});
