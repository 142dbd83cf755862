import { randomUUID } from 'node:crypto';
import { connectMongo, TRANSACTION_OPTIONS } from '@oms/platform/src/mongo';
import { MongoOutbox } from '../src/mongo';
import { describeOutboxContract } from './outbox.contract';

/** Runs only when MONGODB_URI points at a replica set (e.g. `docker compose up mongo`). */
const uri = process.env.MONGODB_URI;

if (uri) {
  describeOutboxContract('MongoDB', async () => {
    // A throwaway database per test, so each starts empty.
    const conn = await connectMongo(uri, { dbName: `oms_outbox_contract_${randomUUID().replace(/-/g, '').slice(0, 16)}` });
    const outbox = await MongoOutbox.open(conn, 'outbox');
    return {
      outbox,
      insert: (m) => conn.transaction((session) => outbox.insert(m, session), TRANSACTION_OPTIONS),
      deleteUnpublished: (aggregateId) =>
        conn.transaction((session) => outbox.deleteUnpublished(aggregateId, session), TRANSACTION_OPTIONS),
      close: async () => {
        await conn.dropDatabase();
        await conn.close();
      },
    };
  });
} else {
  describe.skip('OutboxStore contract: MongoDB (skipped: set MONGODB_URI to a replica set to run it)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
