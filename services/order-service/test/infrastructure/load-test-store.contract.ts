/**
 * Contract of the store methods behind load runs and tiers (issue 6), for every OrderServiceStore
 * adapter: setUserTier, applyStatusChanges, placeOrder's skipOutbox, and its loadTest side:
 * bulkInsertOrders, purgeOrdersOfEmailDomain, saveLoadRun / listLoadRuns. `open` returns a store over an EMPTY database.
 */
import { randomUUID } from 'node:crypto';
import type { LoadRunDto } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import type { Order } from '../../src/domain/order';
import type { LoadTestableStore } from '../../src/loadtest/ports';
import type { User } from '../../src/domain/user';
import { makeProduct, makeUser, orderRequest } from './order-store.contract';

const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);

function bulkOrder(user: User, n: number): { order: Order; outbox: NewOutboxMessage } {
  const id = randomUUID();
  const order: Order = {
    id,
    userId: user.id,
    username: user.username,
    status: 'PENDING',
    tier: user.tier,
    items: [{ productId: 'loadgen-item', sku: 'LG-1', name: 'Load test item', unitPriceCents: 100, quantity: 1, lineTotalCents: 100 }],
    subtotalCents: 100,
    taxCents: 18,
    totalCents: 118,
    currency: 'INR',
    createdAt: at(n),
    processedAt: null,
    processingTimeMs: null,
    failureReason: null,
  };
  const outbox: NewOutboxMessage = {
    id: randomUUID(),
    aggregateId: id,
    type: 'order.placed',
    destination: user.tier === 'DIAMOND' ? 'orders-priority' : 'orders',
    payload: JSON.stringify({ orderId: id }),
    occurredAt: at(n),
  };
  return { order, outbox };
}

function runDto(id: string, startedAt: Date, phase: LoadRunDto['phase']): LoadRunDto {
  const window = {
    generated: 1,
    processed: 1,
    failed: 0,
    start: null,
    end: null,
    durationMs: null,
    firstStartedAt: null,
    lastStartedAt: null,
  };
  return {
    id,
    mode: 'bulk',
    until: 'processed',
    phase,
    health: 'healthy',
    mix: { BRONZE: 1, DIAMOND: 1 },
    startedAt: startedAt.toISOString(),
    finishedAt: null,
    progress: { target: 2, generated: 2, processed: 2, failed: 0 },
    generation: { startedAt: startedAt.toISOString(), endedAt: null, durationMs: 12, ordersPerSec: 166.5 },
    processing: { VIP: window, NORMAL: window },
    vipDrainedFirst: true,
    throughput: { ordersPerSec: 10, recentOrdersPerSec: null },
    etaMs: 0,
    latency: { samples: 2, p50Ms: 5, p99Ms: 9 },
    error: null,
  };
}

export function describeLoadTestStoreContract(name: string, open: () => Promise<LoadTestableStore>): void {
  describe(`OrderServiceStore load-test contract: ${name}`, () => {
    let store: LoadTestableStore;
    let user: User;

    beforeEach(async () => {
      store = await open();
      user = makeUser();
      await store.createUser(user);
    });
    afterEach(async () => {
      await store.close();
    });

    it('sets a user tier and says null for an unknown user', async () => {
      expect(await store.setUserTier(user.id, 'DIAMOND')).toEqual({ ...user, tier: 'DIAMOND' });
      expect((await store.findUserById(user.id))?.tier).toBe('DIAMOND');
      expect(await store.setUserTier(randomUUID(), 'GOLD')).toBeNull();
    });

    it('applies a batch of status changes in order, one result per change', async () => {
      const p = makeProduct({ stock: 5 });
      await store.createProduct(p);
      const placed = await store.placeOrder(orderRequest({ user, lines: [[p, 1]] }));
      if (placed.kind !== 'created') throw new Error(placed.kind);
      const id = placed.order.id;
      const base = { processedAt: null, processingTimeMs: null, failureReason: null };
      const results = await store.applyStatusChanges([
        { orderId: id, to: 'PROCESSING', from: ['PENDING'], ...base },
        { orderId: id, to: 'PROCESSING', from: ['PENDING'], ...base }, // duplicate: stale by now
        { orderId: randomUUID(), to: 'PROCESSING', from: ['PENDING'], ...base },
        { orderId: id, to: 'PROCESSED', from: ['PENDING', 'PROCESSING'], processedAt: at(900), processingTimeMs: 900, failureReason: null },
      ]);
      expect(results.map((r) => r?.status ?? null)).toEqual(['PROCESSING', null, null, 'PROCESSED']);
      expect(await store.getOrder(id)).toMatchObject({ status: 'PROCESSED', processedAt: at(900), processingTimeMs: 900 });
      expect(await store.applyStatusChanges([])).toEqual([]);
    });

    it('commits an order without its outbox row when asked (the naive baseline) and still takes the stock', async () => {
      const p = makeProduct({ stock: 5 });
      await store.createProduct(p);
      const placed = await store.placeOrder({ ...orderRequest({ user, lines: [[p, 2]] }), skipOutbox: true });
      expect(placed.kind).toBe('created');
      expect((await store.getProduct(p.id))?.stock).toBe(3);
      expect(await store.listOutbox({ status: 'pending', limit: 10 })).toEqual([]);
    });

    it('bulk-inserts orders with their outbox rows, touching no stock', async () => {
      const diamond = makeUser({ tier: 'DIAMOND' });
      await store.createUser(diamond);
      // 257 spans several multi-row statements plus a remainder in both tables.
      const made = Array.from({ length: 257 }, (_, n) => bulkOrder(n % 4 === 0 ? diamond : user, n));
      await store.loadTest.bulkInsertOrders(
        made.map((m) => m.order),
        made.map((m) => m.outbox),
      );
      expect(await store.getOrder(made[0]!.order.id)).toEqual(made[0]!.order);
      expect(await store.getOrder(made[256]!.order.id)).toEqual(made[256]!.order);
      const pending = await store.listOutbox({ status: 'pending', limit: 1000 });
      expect(pending).toHaveLength(257);
      expect(pending[0]).toMatchObject({ ...made[0]!.outbox, status: 'pending', attempts: 0, nextAttemptAt: made[0]!.outbox.occurredAt });
      expect(pending.filter((m) => m.destination === 'orders-priority')).toHaveLength(65);
      const claimed = await store.claimOutboxBatch({ limit: 300, now: at(10_000), leaseUntil: at(40_000) });
      expect(claimed).toHaveLength(257);
    });

    it('bulk insert is all or nothing', async () => {
      const made = Array.from({ length: 60 }, (_, n) => bulkOrder(user, n));
      made[59]!.order.id = made[0]!.order.id; // duplicate key in the last statement
      // Matched by shape: a native SqliteError thrown in a jest worker is not an Error of the test's realm.
      await expect(
        store.loadTest.bulkInsertOrders(
          made.map((m) => m.order),
          made.map((m) => m.outbox),
        ),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/UNIQUE|duplicate key/i),
      });
      expect(await store.getOrder(made[1]!.order.id)).toBeNull();
      expect(await store.listOutbox({ status: 'pending', limit: 100 })).toEqual([]);
    });

    it('purges the orders (and outbox rows, published or not) of one email domain only', async () => {
      const gen = makeUser({ email: `a-${randomUUID().slice(0, 6)}@loadgen.invalid` });
      const lookalike = makeUser({ email: `b-${randomUUID().slice(0, 6)}@xloadgen.invalid.example` });
      await store.createUser(gen);
      await store.createUser(lookalike);
      const generated = [0, 1, 2].map((n) => bulkOrder(gen, n));
      const kept = [bulkOrder(user, 3), bulkOrder(lookalike, 4)];
      const all = [...generated, ...kept];
      await store.loadTest.bulkInsertOrders(
        all.map((m) => m.order),
        all.map((m) => m.outbox),
      );
      await store.markOutboxPublished([generated[0]!.outbox.id, kept[0]!.outbox.id], at(50));

      expect(await store.loadTest.purgeOrdersOfEmailDomain('loadgen.invalid')).toBe(3);
      for (const m of generated) expect(await store.getOrder(m.order.id)).toBeNull();
      for (const m of kept) expect(await store.getOrder(m.order.id)).toEqual(m.order);
      const left = [
        ...(await store.listOutbox({ status: 'pending', limit: 10 })),
        ...(await store.listOutbox({ status: 'published', limit: 10 })),
      ];
      expect(left.map((m) => m.aggregateId).sort()).toEqual(kept.map((m) => m.order.id).sort());
      expect(await store.loadTest.purgeOrdersOfEmailDomain('loadgen.invalid')).toBe(0);
      expect(await store.findUserById(gen.id)).not.toBeNull(); // shoppers stay for the next run
    });

    it('keeps load run history newest first, replacing a run saved again', async () => {
      await store.loadTest.saveLoadRun({ id: 'run-1', startedAt: at(1000), run: runDto('run-1', at(1000), 'GENERATING') });
      await store.loadTest.saveLoadRun({ id: 'run-2', startedAt: at(2000), run: runDto('run-2', at(2000), 'DONE') });
      await store.loadTest.saveLoadRun({ id: 'run-1', startedAt: at(1000), run: runDto('run-1', at(1000), 'ABORTED') });
      const runs = await store.loadTest.listLoadRuns(10);
      expect(runs.map((r) => [r.id, r.run.phase])).toEqual([
        ['run-2', 'DONE'],
        ['run-1', 'ABORTED'],
      ]);
      expect(runs[1]).toEqual({ id: 'run-1', startedAt: at(1000), run: runDto('run-1', at(1000), 'ABORTED') });
      expect(await store.loadTest.listLoadRuns(1)).toHaveLength(1);
    });
  });
}
