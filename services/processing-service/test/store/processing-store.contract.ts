import { randomUUID } from 'node:crypto';
import type { NewOutboxMessage } from '@oms/outbox';
import type { ProcessingStore } from '../../src/app/ports';

/**
 * The storage contract every ProcessingStore adapter must pass (SQLite always, MongoDB when
 * MONGODB_URI is set). `open` must return a store over EMPTY storage each time.
 */
export function describeProcessingStoreContract(name: string, open: () => Promise<ProcessingStore>): void {
  describe(`ProcessingStore contract: ${name}`, () => {
    let store: ProcessingStore;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const statusMessage = (orderId: string, status: string, occurredAt = new Date()): NewOutboxMessage => {
      const id = randomUUID();
      return {
        id,
        aggregateId: orderId,
        type: 'order.status-changed',
        destination: 'order-status',
        payload: JSON.stringify({ id, status, orderId }),
        occurredAt,
      };
    };

    /** Starts processing a fresh event; returns its ids and the PROCESSING status message. */
    const begin = async (occurredAt = new Date()) => {
      const eventId = randomUUID();
      const orderId = `order-${eventId.slice(0, 8)}`;
      const message = statusMessage(orderId, 'PROCESSING', occurredAt);
      const result = await store.beginProcessing(
        { eventId, orderId, priority: 'VIP', receivedAt: new Date(), note: 'sent with priority' },
        message,
      );
      return { eventId, orderId, message, result };
    };

    const claimAll = (now = new Date(), leaseMs = 30_000) =>
      store.claimOutboxBatch({ limit: 100, now, leaseUntil: new Date(now.getTime() + leaseMs) });

    const later = (ms: number) => new Date(Date.now() + ms);

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('inbox', () => {
      it('creates the inbox row in state processing on first delivery', async () => {
        const receivedAt = new Date();
        const eventId = randomUUID();
        const { created, entry } = await store.beginProcessing(
          { eventId, orderId: 'o-1', priority: 'NORMAL', receivedAt, note: 'processed without priority' },
          statusMessage('o-1', 'PROCESSING'),
        );
        expect(created).toBe(true);
        expect(entry).toEqual({
          eventId,
          orderId: 'o-1',
          priority: 'NORMAL',
          state: 'processing',
          receivedAt,
          emailMessageId: null,
          emailedAt: null,
          completedAt: null,
          note: 'processed without priority',
          failureReason: null,
          attempts: 1,
        });
        expect(await store.getInbox(eventId)).toEqual(entry);
      });

      it('returns the existing row with created false on redelivery and writes no second event', async () => {
        const { eventId, orderId } = await begin();
        const again = await store.beginProcessing(
          { eventId, orderId, priority: 'VIP', receivedAt: new Date(), note: 'sent with priority' },
          statusMessage(orderId, 'PROCESSING'),
        );
        expect(again.created).toBe(false);
        expect(again.entry.state).toBe('processing');
        expect(again.entry.attempts).toBe(2);
        expect(await claimAll()).toHaveLength(1);
      });

      it('writes the PROCESSING status event with the inbox row', async () => {
        const { message } = await begin();
        const [claimed] = await claimAll();
        expect(claimed).toMatchObject({
          id: message.id,
          aggregateId: message.aggregateId,
          type: message.type,
          destination: message.destination,
          payload: message.payload,
          occurredAt: message.occurredAt,
          status: 'pending',
          attempts: 0,
          publishedAt: null,
          lastError: null,
        });
      });

      it('records the email send', async () => {
        const { eventId } = await begin();
        const at = new Date();
        await store.recordEmailSent(eventId, '<abc@oms.local>', at);
        expect(await store.getInbox(eventId)).toMatchObject({ state: 'emailed', emailMessageId: '<abc@oms.local>', emailedAt: at });
      });

      it('completes as done with the final status event in the same step', async () => {
        const { eventId, orderId } = await begin();
        await store.recordEmailSent(eventId, '<m@oms.local>', new Date());
        const at = new Date();
        const final = statusMessage(orderId, 'PROCESSED');
        await store.completeProcessing(eventId, { state: 'done', at, failureReason: null }, final);
        expect(await store.getInbox(eventId)).toMatchObject({ state: 'done', completedAt: at, failureReason: null });
        const ids = (await claimAll()).map((m) => m.id);
        expect(ids).toHaveLength(2);
        expect(ids).toContain(final.id);
      });

      it('completes as failed with a reason', async () => {
        const { eventId, orderId } = await begin();
        await store.completeProcessing(
          eventId,
          { state: 'failed', at: new Date(), failureReason: 'email rejected: 550 no such user' },
          statusMessage(orderId, 'FAILED'),
        );
        expect(await store.getInbox(eventId)).toMatchObject({ state: 'failed', failureReason: 'email rejected: 550 no such user' });
      });

      it('ignores a second completion: state and events stay as they were', async () => {
        const { eventId, orderId } = await begin();
        const at = new Date();
        await store.completeProcessing(eventId, { state: 'done', at, failureReason: null }, statusMessage(orderId, 'PROCESSED'));
        await store.completeProcessing(
          eventId,
          { state: 'failed', at: later(1000), failureReason: 'late' },
          statusMessage(orderId, 'FAILED'),
        );
        expect(await store.getInbox(eventId)).toMatchObject({ state: 'done', completedAt: at, failureReason: null });
        expect(await claimAll()).toHaveLength(2);
      });

      it('redelivery after completion reports the final state', async () => {
        const { eventId, orderId } = await begin();
        await store.completeProcessing(eventId, { state: 'done', at: new Date(), failureReason: null }, statusMessage(orderId, 'PROCESSED'));
        const again = await store.beginProcessing(
          { eventId, orderId, priority: 'VIP', receivedAt: new Date(), note: null },
          statusMessage(orderId, 'PROCESSING'),
        );
        expect(again).toMatchObject({ created: false, entry: { state: 'done' } });
      });

      it('returns null for an unknown event id', async () => {
        expect(await store.getInbox(randomUUID())).toBeNull();
      });
    });

    describe('outbox', () => {
      it('claims due rows oldest first, up to the limit, under a lease', async () => {
        const t0 = Date.now() - 3_000;
        const first = await begin(new Date(t0));
        const second = await begin(new Date(t0 + 1_000));
        await begin(new Date(t0 + 2_000));
        const now = new Date();
        const batch = await store.claimOutboxBatch({ limit: 2, now, leaseUntil: new Date(now.getTime() + 30_000) });
        expect(batch.map((m) => m.id)).toEqual([first.message.id, second.message.id]);
        expect(batch[0]!.lockedUntil).toEqual(new Date(now.getTime() + 30_000));
        // Leased rows are not handed out again; the third one still is.
        expect(await claimAll()).toHaveLength(1);
        expect(await claimAll()).toHaveLength(0);
      });

      it('hands a row out again once its lease has expired', async () => {
        const { message } = await begin();
        expect(await claimAll(new Date(), 1_000)).toHaveLength(1);
        expect(await claimAll(later(500))).toHaveLength(0);
        expect((await claimAll(later(2_000))).map((m) => m.id)).toEqual([message.id]);
      });

      it('never gives the same row to two concurrent claims', async () => {
        for (let i = 0; i < 20; i++) await begin();
        const now = new Date();
        const lease = new Date(now.getTime() + 30_000);
        const [a, b] = await Promise.all([
          store.claimOutboxBatch({ limit: 15, now, leaseUntil: lease }),
          store.claimOutboxBatch({ limit: 15, now, leaseUntil: lease }),
        ]);
        const ids = [...a!, ...b!].map((m) => m.id);
        expect(ids).toHaveLength(20);
        expect(new Set(ids).size).toBe(20);
      });

      it('marks rows published so they are never claimed again', async () => {
        const { message } = await begin();
        await claimAll();
        const at = new Date();
        await store.markOutboxPublished([message.id], at);
        expect(await claimAll(later(60_000))).toHaveLength(0);
        const [published] = await store.listOutbox({ status: 'published', limit: 10 });
        expect(published).toMatchObject({ id: message.id, status: 'published', publishedAt: at, lockedUntil: null });
      });

      it('backs a failed row off until its next attempt time', async () => {
        const { message } = await begin();
        await claimAll();
        const next = later(60_000);
        await store.markOutboxFailed([{ id: message.id, error: 'SQS down', nextAttemptAt: next }]);
        expect(await claimAll(later(1_000))).toHaveLength(0);
        const [retried] = await claimAll(later(61_000));
        expect(retried).toMatchObject({ id: message.id, status: 'pending', attempts: 1, lastError: 'SQS down', nextAttemptAt: next });
      });

      it('parks a row as failed, lists it, and requeues it by id', async () => {
        const { message } = await begin();
        const other = await begin();
        await claimAll();
        await store.markOutboxFailed([
          { id: message.id, error: 'gave up', nextAttemptAt: null },
          { id: other.message.id, error: 'gave up too', nextAttemptAt: null },
        ]);
        expect(await claimAll(later(3_600_000))).toHaveLength(0);
        const parked = await store.listOutbox({ status: 'failed', limit: 10 });
        expect(parked.map((m) => m.id).sort()).toEqual([message.id, other.message.id].sort());
        expect(parked.find((m) => m.id === message.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'gave up' });
        expect(await store.listOutbox({ status: 'failed', limit: 1 })).toHaveLength(1);

        expect(await store.requeueFailedOutbox([message.id])).toBe(1);
        const [requeued] = await claimAll(later(1_000));
        expect(requeued).toMatchObject({ id: message.id, status: 'pending' });
        expect(await store.listOutbox({ status: 'failed', limit: 10 })).toHaveLength(1);
      });

      it('requeues every parked row when no ids are given', async () => {
        const a = await begin();
        const b = await begin();
        await claimAll();
        await store.markOutboxFailed([
          { id: a.message.id, error: 'x', nextAttemptAt: null },
          { id: b.message.id, error: 'x', nextAttemptAt: null },
        ]);
        expect(await store.requeueFailedOutbox()).toBe(2);
        expect(await store.requeueFailedOutbox()).toBe(0);
        expect(await claimAll(later(1_000))).toHaveLength(2);
      });

      it('reports pending and failed counts and the age of the oldest pending row', async () => {
        expect(await store.outboxStats(new Date())).toEqual({ pending: 0, failed: 0, oldestPendingAgeMs: 0 });
        const oldest = new Date(Date.now() - 5_000);
        await begin(oldest);
        await begin();
        const parked = await begin();
        const published = await begin();
        await claimAll();
        await store.markOutboxFailed([{ id: parked.message.id, error: 'x', nextAttemptAt: null }]);
        await store.markOutboxPublished([published.message.id], new Date());
        const now = new Date();
        expect(await store.outboxStats(now)).toEqual({
          pending: 2,
          failed: 1,
          oldestPendingAgeMs: now.getTime() - oldest.getTime(),
        });
      });
    });
  });
}
