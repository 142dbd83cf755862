import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OrderEvent } from '../../../src/application/order-feed/order-events';
import { OrderFeed } from '../../../src/application/order-feed/order-feed';
import type { OrderServiceStore } from '../../../src/application/ports';
import { openSqliteOrderStore } from '../../../src/infrastructure/sqlite';
import { makeProduct, makeUser, orderRequest } from '../../infrastructure/order-store.contract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-feed-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const until = async (done: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
};

describe('OrderFeed: two replicas on one SQLite file', () => {
  let a: OrderServiceStore;
  let b: OrderServiceStore;
  const feeds: OrderFeed[] = [];
  const errors: unknown[] = [];
  const feedOn = async (store: OrderServiceStore, pollMs = 20) => {
    const feed = new OrderFeed(store, { pollMs, batch: 3, retentionMs: 3_600_000, onError: (err) => errors.push(err) });
    await feed.start();
    feeds.push(feed);
    return feed;
  };

  beforeAll(async () => {
    const file = path.join(dir, 'shared.sqlite');
    a = await openSqliteOrderStore(file);
    b = await openSqliteOrderStore(file);
  });
  afterAll(async () => {
    for (const f of feeds) await f.stop();
    await a.close();
    await b.close();
  });

  it("hands every event written through either replica to both replicas' subscribers, in sequence order, once", async () => {
    const user = makeUser();
    await a.createUser(user);
    const product = makeProduct({ stock: 100 });
    await a.createProduct(product);
    const onA = await feedOn(a);
    const onB = await feedOn(b);
    const seenA: OrderEvent[] = [];
    const seenB: OrderEvent[] = [];
    onA.subscribe((e) => seenA.push(e));
    onB.subscribe((e) => seenB.push(e));
    // One subscriber that throws must not keep events from the others.
    onB.subscribe(() => {
      throw new Error('broken listener');
    });

    const placed: string[] = [];
    for (let i = 0; i < 10; i++) {
      const writer = i % 2 === 0 ? a : b;
      const r = await writer.placeOrder(orderRequest({ user, lines: [[product, 1]] }));
      if (r.kind === 'created') placed.push(r.order.id);
      if (i === 4) onA.nudge(); // a wake-up in the middle changes nothing about order or count
    }
    await b.applyStatusChanges(
      placed.map((orderId) => ({
        orderId,
        to: 'PROCESSED',
        from: ['PENDING'],
        processedAt: new Date(),
        processingTimeMs: 1,
        failureReason: null,
      })),
    );

    await until(() => seenA.length === 20 && seenB.length === 20, 'both feeds to hand out 20 events');
    for (const seen of [seenA, seenB]) {
      const seqs = seen.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(20);
      expect(seen.filter((e) => e.type === 'order.created').map((e) => (e.type === 'order.deleted' ? null : e.order.id))).toEqual(placed);
    }
    expect(seenA).toEqual(seenB);
    expect(errors.map(String)).toEqual(Array(20).fill('Error: broken listener'));
    await new Promise((r) => setTimeout(r, 100));
    expect(seenA).toHaveLength(20);
  });

  it('a subscriber gets exactly the events after position() at the time it subscribed', async () => {
    const user = makeUser();
    await a.createUser(user);
    const product = makeProduct({ stock: 10 });
    await a.createProduct(product);
    const feed = await feedOn(b, 10_000); // no polling: only nudges read
    await a.placeOrder(orderRequest({ user, lines: [[product, 1]] }));
    const from = feed.position();
    const seen: number[] = [];
    feed.subscribe((e) => seen.push(e.seq));
    await a.placeOrder(orderRequest({ user, lines: [[product, 1]] }));
    feed.nudge();
    const last = await a.lastOrderEventSeq();
    await until(() => seen.at(-1) === last, 'the nudged read');
    expect(seen[0]).toBe(from + 1);
    expect(seen).toEqual(Array.from({ length: last - from }, (_, i) => from + 1 + i));
  });
});
