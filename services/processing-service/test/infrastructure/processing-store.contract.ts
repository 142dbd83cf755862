import { randomUUID } from 'node:crypto';
import type { NewOutboxMessage } from '@oms/outbox';
import type { ProcessingStore } from '../../src/application/ports';

/**
 * The storage contract every ProcessingStore adapter must pass (SQLite always, MongoDB when
 * MONGODB_URI is set). `open` must return a store over EMPTY storage each time. The outbox's own
 * rules are pinned once, in packages/outbox/test/outbox.contract.ts; here only that the inbox
 * steps write status events in their transactions and that the store serves them to the relay.
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

    /** Starts processing a fresh event and announces it; returns its ids and the PROCESSING status message. */
    const begin = async (occurredAt = new Date()) => {
      const eventId = randomUUID();
      const orderId = `order-${eventId.slice(0, 8)}`;
      const message = statusMessage(orderId, 'PROCESSING', occurredAt);
      const result = await store.beginProcessing({ eventId, orderId, priority: 'VIP', receivedAt: new Date(), note: 'sent with priority' });
      expect(await store.announceProcessing(eventId, message)).toBe(true);
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
        const { created, entry } = await store.beginProcessing({
          eventId,
          orderId: 'o-1',
          priority: 'NORMAL',
          receivedAt,
          note: 'processed without priority',
        });
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
        expect(await claimAll()).toEqual([]); // no status event until it is announced
      });

      it('returns the existing row with created false on redelivery and writes no second event', async () => {
        const { eventId, orderId } = await begin();
        const again = await store.beginProcessing({
          eventId,
          orderId,
          priority: 'VIP',
          receivedAt: new Date(),
          note: 'sent with priority',
        });
        expect(again.created).toBe(false);
        expect(again.entry.state).toBe('processing');
        expect(again.entry.attempts).toBe(2);
        expect(await claimAll()).toHaveLength(1);
      });

      it('announces PROCESSING while processing or emailed, and never after the final status', async () => {
        const { eventId, orderId } = await begin();
        await store.recordEmailSent(eventId, '<m@oms.local>', new Date());
        expect(await store.announceProcessing(eventId, statusMessage(orderId, 'PROCESSING'))).toBe(true);
        await store.completeProcessing(
          eventId,
          { state: 'done', at: new Date(), failureReason: null },
          statusMessage(orderId, 'PROCESSED'),
        );
        expect(await store.announceProcessing(eventId, statusMessage(orderId, 'PROCESSING'))).toBe(false);
        expect(await store.announceProcessing(randomUUID(), statusMessage(orderId, 'PROCESSING'))).toBe(false);
        expect(await claimAll()).toHaveLength(3);
      });

      it('writes the announced PROCESSING status event to the outbox', async () => {
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
        await store.completeProcessing(
          eventId,
          { state: 'done', at: new Date(), failureReason: null },
          statusMessage(orderId, 'PROCESSED'),
        );
        const again = await store.beginProcessing({ eventId, orderId, priority: 'VIP', receivedAt: new Date(), note: null });
        expect(again).toMatchObject({ created: false, entry: { state: 'done' } });
      });

      it('returns null for an unknown event id', async () => {
        expect(await store.getInbox(randomUUID())).toBeNull();
      });
    });

    describe('outbox', () => {
      it('serves status events to the relay through the outbox port', async () => {
        const sent = await begin();
        const parked = await begin();
        expect(await claimAll()).toHaveLength(2);
        await store.markOutboxPublished([sent.message.id], new Date());
        await store.markOutboxFailed([{ id: parked.message.id, error: 'gave up', nextAttemptAt: null, countsAsAttempt: true }]);
        expect((await store.listOutbox({ status: 'published', limit: 10 })).map((m) => m.id)).toEqual([sent.message.id]);
        expect(await store.outboxStats(new Date())).toMatchObject({ pending: 0, failed: 1 });
        expect(await store.requeueFailedOutbox()).toBe(1);
        expect((await claimAll(later(60_000))).map((m) => m.id)).toEqual([parked.message.id]);
      });
    });
  });
}
