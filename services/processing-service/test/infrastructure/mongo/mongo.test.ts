import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { mongoTestServer } from '@oms/dev-stack/mongo';
import { openStore } from '../../../src/infrastructure/open-store';
import { openMongoProcessingStore } from '../../../src/infrastructure/mongo';
import { describeProcessingStoreContract } from '../processing-store.contract';

/** Runs when MONGODB_URI points at a replica set: `pnpm test:mongo` (jongodb, or MONGODB_URI). */
const server = mongoTestServer();

if (server) {
  // A fresh database per store so every contract test starts empty.
  describeProcessingStoreContract('mongo', () => openMongoProcessingStore(server.freshDatabaseUri('oms_processing_contract')));

  server.needs('concurrency')('never commits a PROCESSING announcement after the final status', async () => {
    // Holds the announcement between its inbox step and its outbox write (a save hook on the outbox
    // model) and completes the order meanwhile: a completion that can commit in that gap (the
    // announcement only read the row) would be followed by a PROCESSING for a finished order.
    const marker = `hold-${randomUUID()}`;
    let reached!: () => void;
    let release!: () => void;
    const atOutboxWrite = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    mongoose.plugin((schema) => {
      schema.pre('save', async function () {
        if (String((this as { payload?: unknown }).payload).includes(marker)) {
          reached();
          await gate;
        }
      });
    });
    const store = await openMongoProcessingStore(server.freshDatabaseUri('oms_processing_race'));
    try {
      const eventId = randomUUID();
      const event = (status: string) => ({
        id: randomUUID(),
        aggregateId: 'order-1',
        type: 'order.status-changed',
        destination: 'order-status',
        payload: JSON.stringify({ status, marker: status === 'PROCESSING' ? marker : null }),
        occurredAt: new Date(),
      });
      await store.beginProcessing({ eventId, orderId: 'order-1', priority: 'NORMAL', receivedAt: new Date(), note: null });
      const settled: string[] = [];
      const announced = store.announceProcessing(eventId, event('PROCESSING')).then((ok) => (settled.push('announced'), ok));
      await atOutboxWrite;
      const completed = store
        .completeProcessing(eventId, { state: 'done', at: new Date(), failureReason: null }, event('PROCESSED'))
        .then(() => settled.push('completed'));
      // Room for a completion that does not conflict to commit before the announcement does.
      await new Promise((resolve) => setTimeout(resolve, 500));
      release();
      const wasAnnounced = await announced;
      await completed;
      // Either the announcement committed first (and the completion waited for it), or it saw the final state.
      if (wasAnnounced) expect(settled).toEqual(['announced', 'completed']);
      else expect(settled[0]).toBe('completed');
    } finally {
      release();
      await store.close();
    }
  });

  it('deletes published status events after OUTBOX_RETENTION_HOURS (the TTL index openStore makes)', async () => {
    const uri = server.freshDatabaseUri('oms_processing_retention');
    await (await openStore({ MONGODB_URI: uri, SQLITE_PATH: 'unused', SQLITE_SYNCHRONOUS: 'FULL', OUTBOX_RETENTION_HOURS: 12 })).close();
    const conn = await mongoose.createConnection(uri).asPromise();
    try {
      const ttl = (await conn.collection('processing_outbox').indexes()).find((i) => i.name === 'outbox_published_ttl');
      expect(ttl?.expireAfterSeconds).toBe(12 * 3600);
    } finally {
      await conn.close();
    }
  });
} else {
  describe.skip('ProcessingStore contract: mongo (skipped: set MONGODB_URI to a replica set, or run pnpm test:mongo)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
