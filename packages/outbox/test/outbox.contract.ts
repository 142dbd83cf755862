/**
 * The OutboxStore contract (rules written on OutboxStore in src/types.ts), run against SqliteOutbox
 * always and MongoOutbox when MONGODB_URI is set. `open` must return an EMPTY outbox each time.
 */
import { randomUUID } from 'node:crypto';
import { FULL_SERVER, type ServerTraits } from '@oms/dev-stack/mongo';
import type { NewOutboxMessage, OutboxStore } from '../src';

export interface OutboxUnderTest {
  outbox: OutboxStore;
  /** Writes a message the way a service does: inside a transaction of its own. */
  insert(message: NewOutboxMessage): Promise<void>;
  /** Calls the adapter's deleteUnpublished the same way, inside a transaction. */
  deleteUnpublished(aggregateId: string): Promise<void>;
  close(): Promise<void>;
}

const T0 = new Date('2025-01-01T00:00:00.000Z').getTime();
const at = (ms: number) => new Date(T0 + ms);
const LEASE = 30_000;

export function describeOutboxContract(name: string, open: () => Promise<OutboxUnderTest>, server: ServerTraits = FULL_SERVER): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let t: OutboxUnderTest;
    let outbox: OutboxStore;

    beforeEach(async () => {
      t = await open();
      outbox = t.outbox;
    });
    afterEach(async () => {
      await t.close();
    });

    const enqueue = async (occurredAtMs: number, id: string = randomUUID(), priority = false): Promise<NewOutboxMessage> => {
      const m: NewOutboxMessage = {
        id,
        aggregateId: `order-${id.slice(0, 8)}`,
        type: 'order.placed',
        destination: priority ? 'orders-priority' : 'orders',
        payload: JSON.stringify({ id }),
        occurredAt: at(occurredAtMs),
        priority,
      };
      await t.insert(m);
      return m;
    };
    const claim = (nowMs: number, limit = 100) => outbox.claimOutboxBatch({ limit, now: at(nowMs), leaseUntil: at(nowMs + LEASE) });
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

    it('writes a new row pending, due when it occurred, with no attempt and no lease', async () => {
      const m = await enqueue(100);
      expect(await outbox.listOutbox({ status: 'pending', limit: 10 })).toEqual([
        {
          ...m,
          priority: false,
          traceparent: null,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: m.occurredAt,
          lockedUntil: null,
          publishedAt: null,
          lastError: null,
        },
      ]);
    });

    it('keeps the trace context a row was written with, for the relay to carry on', async () => {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const id = randomUUID();
      await t.insert({
        id,
        aggregateId: 'order-t',
        type: 'order.placed',
        destination: 'orders',
        payload: '{}',
        occurredAt: at(0),
        traceparent,
      });
      const untraced = await enqueue(1);
      expect((await claim(1000)).map((r) => [r.id, r.traceparent])).toEqual([
        [id, traceparent],
        [untraced.id, null],
      ]);
    });

    describe('claim', () => {
      it('claims due rows oldest first under a lease, up to the limit, without counting an attempt', async () => {
        const late = await enqueue(300);
        const early = await enqueue(100);
        const middle = await enqueue(200);
        const notDue = await enqueue(5000);
        const batch = await claim(1000, 2);
        expect(ids(batch)).toEqual([early.id, middle.id]);
        expect(batch[0]).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: at(1000 + LEASE) });
        expect(ids(await claim(1000))).toEqual([late.id]);
        expect(ids(await claim(5000))).toEqual([notDue.id]);
      });

      it('claims every due priority row before any other row, however old', async () => {
        const oldNormal = await enqueue(0);
        const vipLater = await enqueue(300, randomUUID(), true);
        const vipEarly = await enqueue(200, randomUUID(), true);
        const vipNotDue = await enqueue(5000, randomUUID(), true);
        const newNormal = await enqueue(400);
        expect(ids(await claim(1000, 3))).toEqual([vipEarly.id, vipLater.id, oldNormal.id]);
        expect(ids(await claim(1000))).toEqual([newNormal.id]);
        expect(ids(await claim(5000))).toEqual([vipNotDue.id]);
      });

      it('breaks ties on due time by occurrence, then by id', async () => {
        const b = await enqueue(100, `b-${randomUUID()}`);
        const a = await enqueue(100, `a-${randomUUID()}`);
        const older = await enqueue(50, `c-${randomUUID()}`);
        await outbox.markOutboxFailed([{ id: older.id, error: 'x', nextAttemptAt: at(100), countsAsAttempt: true }]);
        expect(ids(await claim(1000, 2))).toEqual([older.id, a.id]);
        expect(ids(await claim(1000))).toEqual([b.id]);
      });

      it('holds a lease through lockedUntil and hands the row out again only after it', async () => {
        const m = await enqueue(0);
        expect(ids(await claim(1000))).toEqual([m.id]);
        expect(await claim(1000 + LEASE - 1)).toEqual([]);
        expect(await claim(1000 + LEASE)).toEqual([]);
        const again = await claim(1000 + LEASE + 1);
        expect(ids(again)).toEqual([m.id]);
        expect(again[0]!.lockedUntil).toEqual(at(1000 + LEASE + 1 + LEASE));
      });

      server.needs('concurrency')('never gives the same row to two concurrent claims', async () => {
        for (let i = 0; i < 20; i++) await enqueue(i);
        const [a, b] = await Promise.all([claim(1000, 15), claim(1000, 15)]);
        const all = [...ids(a), ...ids(b)];
        expect(all).toHaveLength(20);
        expect(new Set(all).size).toBe(20);
      });
    });

    describe('markOutboxPublished', () => {
      it('marks rows published, clears lease and last error, and never hands them out again', async () => {
        const m = await enqueue(0);
        const other = await enqueue(10);
        await claim(1000);
        await outbox.markOutboxFailed([{ id: m.id, error: 'broker down', nextAttemptAt: at(2000), countsAsAttempt: true }]);
        await claim(2000);
        await outbox.markOutboxPublished([m.id], at(2500));
        expect(ids(await claim(1000 + 10 * LEASE))).toEqual([other.id]);
        expect(await outbox.listOutbox({ status: 'published', limit: 10 })).toEqual([
          expect.objectContaining({
            id: m.id,
            status: 'published',
            publishedAt: at(2500),
            lockedUntil: null,
            lastError: null,
            attempts: 1,
          }),
        ]);
        expect((await outbox.listOutbox({ status: 'pending', limit: 10 })).map((r) => r.id)).toEqual([other.id]);
        await expect(outbox.markOutboxPublished([], at(3000))).resolves.toBeUndefined();
      });
    });

    describe('markOutboxFailed', () => {
      it('backs a row off until its next attempt, counting the attempt and keeping the error', async () => {
        const m = await enqueue(0);
        await claim(1000);
        await outbox.markOutboxFailed([{ id: m.id, error: 'broker down', nextAttemptAt: at(4000), countsAsAttempt: true }]);
        expect(await outbox.listOutbox({ status: 'pending', limit: 10 })).toEqual([
          expect.objectContaining({ id: m.id, attempts: 1, lastError: 'broker down', lockedUntil: null, nextAttemptAt: at(4000) }),
        ]);
        expect(await claim(3999)).toEqual([]);
        expect(ids(await claim(4000))).toEqual([m.id]);
        await outbox.markOutboxFailed([{ id: m.id, error: 'still down', nextAttemptAt: at(9000), countsAsAttempt: true }]);
        expect((await outbox.listOutbox({ status: 'pending', limit: 10 }))[0]).toMatchObject({ attempts: 2, lastError: 'still down' });
      });

      it('does not count an attempt when the broker was unreachable', async () => {
        const m = await enqueue(0);
        await claim(1000);
        await outbox.markOutboxFailed([{ id: m.id, error: 'connect ECONNREFUSED', nextAttemptAt: at(2000), countsAsAttempt: false }]);
        expect(await outbox.listOutbox({ status: 'pending', limit: 10 })).toEqual([
          expect.objectContaining({ id: m.id, attempts: 0, lastError: 'connect ECONNREFUSED', nextAttemptAt: at(2000) }),
        ]);
      });

      it('parks a row as failed when there is no next attempt, keeping its due time', async () => {
        const m = await enqueue(0);
        await claim(1000);
        await outbox.markOutboxFailed([{ id: m.id, error: 'gave up', nextAttemptAt: null, countsAsAttempt: true }]);
        expect(await claim(1000 + 100 * LEASE)).toEqual([]);
        expect(await outbox.listOutbox({ status: 'failed', limit: 10 })).toEqual([
          expect.objectContaining({
            id: m.id,
            status: 'failed',
            attempts: 1,
            lastError: 'gave up',
            lockedUntil: null,
            nextAttemptAt: at(0),
          }),
        ]);
      });

      it('leaves a row that another relay already published as published', async () => {
        const m = await enqueue(0);
        await claim(1000);
        await outbox.markOutboxPublished([m.id], at(1500));
        await outbox.markOutboxFailed([{ id: m.id, error: 'late failure', nextAttemptAt: null, countsAsAttempt: true }]);
        expect(await outbox.listOutbox({ status: 'published', limit: 10 })).toEqual([
          expect.objectContaining({ id: m.id, status: 'published', attempts: 0, lastError: null }),
        ]);
        expect(await outbox.outboxStats(at(2000))).toEqual({ pending: 0, failed: 0, oldestPendingAgeMs: 0 });
      });
    });

    describe('requeueFailedOutbox', () => {
      const park = async (...rows: NewOutboxMessage[]) => {
        await claim(1000);
        await outbox.markOutboxFailed(rows.map((r) => ({ id: r.id, error: 'gave up', nextAttemptAt: null, countsAsAttempt: true })));
      };

      it('requeues parked rows by id with a fresh attempt budget, due at once', async () => {
        const a = await enqueue(0);
        const b = await enqueue(10);
        const pending = await enqueue(5000);
        await park(a, b);
        expect(await outbox.requeueFailedOutbox([a.id, pending.id, randomUUID()])).toBe(1);
        expect(await outbox.listOutbox({ status: 'pending', limit: 10 })).toEqual([
          expect.objectContaining({ id: a.id, status: 'pending', attempts: 0, lockedUntil: null, lastError: 'gave up' }),
          expect.objectContaining({ id: pending.id }),
        ]);
        expect(ids(await outbox.listOutbox({ status: 'failed', limit: 10 }))).toEqual([b.id]);
        expect(ids(await claim(1000))).toEqual([a.id]);
      });

      it('requeues every parked row when no ids are given', async () => {
        const a = await enqueue(0);
        const b = await enqueue(10);
        await park(a, b);
        expect(await outbox.requeueFailedOutbox()).toBe(2);
        expect(await outbox.requeueFailedOutbox()).toBe(0);
        expect(await outbox.outboxStats(at(1000))).toMatchObject({ pending: 2, failed: 0 });
        expect(ids(await claim(1000))).toEqual([a.id, b.id]);
      });
    });

    describe('deleteUnpublished', () => {
      it("drops an aggregate's pending and parked rows and keeps its published ones and everyone else's", async () => {
        const pending = await enqueue(0);
        const published = await enqueue(10);
        const parked = await enqueue(20);
        const other = await enqueue(30);
        const aggregateId = 'order-gone';
        for (const m of [pending, published, parked]) {
          await t.insert({ ...m, id: `${m.id}-agg`, aggregateId });
        }
        await outbox.markOutboxPublished([`${published.id}-agg`], at(100));
        await outbox.markOutboxFailed([{ id: `${parked.id}-agg`, error: 'x', nextAttemptAt: null, countsAsAttempt: true }]);
        await t.deleteUnpublished(aggregateId);
        const left = [
          ...(await outbox.listOutbox({ status: 'pending', limit: 10 })),
          ...(await outbox.listOutbox({ status: 'published', limit: 10 })),
          ...(await outbox.listOutbox({ status: 'failed', limit: 10 })),
        ];
        expect(ids(left)).toEqual([pending.id, published.id, parked.id, other.id, `${published.id}-agg`]);
      });
    });

    describe('outboxStats and listOutbox', () => {
      it('counts pending and failed rows and ages the oldest pending one', async () => {
        expect(await outbox.outboxStats(at(0))).toEqual({ pending: 0, failed: 0, oldestPendingAgeMs: 0 });
        await enqueue(100);
        await enqueue(400);
        const parked = await enqueue(50);
        const published = await enqueue(20);
        await outbox.markOutboxFailed([{ id: parked.id, error: 'x', nextAttemptAt: null, countsAsAttempt: true }]);
        await outbox.markOutboxPublished([published.id], at(500));
        expect(await outbox.outboxStats(at(1100))).toEqual({ pending: 2, failed: 1, oldestPendingAgeMs: 1000 });
        // A clock behind the rows never gives a negative age.
        expect((await outbox.outboxStats(at(0))).oldestPendingAgeMs).toBe(0);
      });

      it('lists one status oldest first (ties by id), up to the limit', async () => {
        const c = await enqueue(300);
        const a2 = await enqueue(100, `b-${randomUUID()}`);
        const a1 = await enqueue(100, `a-${randomUUID()}`);
        const gone = await enqueue(50);
        await outbox.markOutboxPublished([gone.id], at(60));
        expect(ids(await outbox.listOutbox({ status: 'pending', limit: 10 }))).toEqual([a1.id, a2.id, c.id]);
        expect(ids(await outbox.listOutbox({ status: 'pending', limit: 2 }))).toEqual([a1.id, a2.id]);
        expect(ids(await outbox.listOutbox({ status: 'published', limit: 10 }))).toEqual([gone.id]);
        expect(await outbox.listOutbox({ status: 'failed', limit: 10 })).toEqual([]);
      });
    });
  });
}
