import { randomUUID } from 'node:crypto';
import { mongoTestServer } from '@oms/dev-stack/mongo';
import { connectMongo, TRANSACTION_OPTIONS } from '@oms/platform/mongo';
import { AGE_ORDER, claimFilter, CLAIM_ORDER, MongoOutbox } from '../src/mongo';
import { describeOutboxContract } from './outbox.contract';

/** Runs when MONGODB_URI points at a replica set: `pnpm test:mongo` (jongodb, or MONGODB_URI). */
const server = mongoTestServer();

if (server) {
  const { uri } = server;
  describeOutboxContract(
    'MongoDB',
    async () => {
      // A throwaway database per test, so each starts empty.
      const conn = await connectMongo(uri, { dbName: server.freshDatabaseName('oms_outbox_contract') });
      // The contract asks for exact counts at every call; the cache has its own test below.
      const outbox = await MongoOutbox.open(conn, 'outbox', { statsCacheMs: 0 });
      return {
        outbox,
        insert: (m) => conn.transaction((session) => outbox.insert(m, session), TRANSACTION_OPTIONS),
        deleteUnpublished: (aggregateId) =>
          conn.transaction((session) => outbox.deleteUnpublished(aggregateId, session), TRANSACTION_OPTIONS),
        close: async () => {
          await server.dropDatabase(conn);
          await conn.close();
        },
      };
    },
    server,
  );

  describe('MongoOutbox indexes (MongoDB)', () => {
    server.needs('dropIndexes', 'explain')('drops the retired indexes, then claims and lists without an in-memory sort', async () => {
      const conn = await connectMongo(uri, { dbName: server.freshDatabaseName('oms_outbox_indexes') });
      try {
        const rows = conn.collection('outbox');
        await rows.createIndex({ status: 1, nextAttemptAt: 1 }, { name: 'outbox_claim' });
        await rows.createIndex({ status: 1, nextAttemptAt: 1, occurredAt: 1, _id: 1 }, { name: 'outbox_claim_order' });
        await MongoOutbox.open(conn, 'outbox');
        const names = (await rows.indexes()).map((i) => i.name);
        expect(names).toEqual(expect.arrayContaining(['outbox_claim_priority_order', 'outbox_status_age_order']));
        expect(names).not.toContain('outbox_claim');
        expect(names).not.toContain('outbox_claim_order');
        const plans = [
          // The claim's first step: the ids of one batch in claim order, VIP rows first.
          await rows.find(claimFilter(new Date())).sort(CLAIM_ORDER).limit(100).project({ _id: 1 }).explain('queryPlanner'),
          await rows.find({ status: 'failed' }).sort(AGE_ORDER).limit(10).explain('queryPlanner'),
          // outboxStats' oldest pending row.
          await rows.find({ status: 'pending' }).sort(AGE_ORDER).limit(1).explain('queryPlanner'),
        ];
        // A blocking sort shows up as a SORT stage in the winning plan.
        for (const plan of plans) expect(JSON.stringify(plan.queryPlanner)).not.toMatch(/"stage":"SORT"/);
      } finally {
        await server.dropDatabase(conn);
        await conn.close();
      }
    });
  });

  describe('MongoOutbox change stream (MongoDB)', () => {
    server.needs('changeStreams')(
      'wakes the relay on inserts, and again after the stream was invalidated',
      async () => {
        const conn = await connectMongo(uri, { dbName: server.freshDatabaseName('oms_outbox_watch') });
        const outbox = await MongoOutbox.open(conn, 'outbox');
        let changes = 0;
        const errors: unknown[] = [];
        const stop = outbox.watchOutbox(
          () => changes++,
          (err) => errors.push(err),
        );
        // A stream sees only what is written after it opened: write until one wake-up arrives.
        const insertUntilWoken = async () => {
          const before = changes;
          for (let i = 0; changes === before; i++) {
            if (i === 100) throw new Error('no wake-up from the change stream');
            const id = randomUUID();
            const row = { id, aggregateId: id, type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: new Date() };
            await conn.transaction((session) => outbox.insert(row, session), TRANSACTION_OPTIONS);
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        };
        try {
          await insertUntilWoken();
          // Dropping the collection invalidates the stream, which no resume can recover.
          await conn.collection('outbox').drop();
          for (let i = 0; errors.length === 0; i++) {
            if (i === 100) throw new Error('the invalidated stream was never reported');
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          await insertUntilWoken();
        } finally {
          stop();
          await server.dropDatabase(conn);
          await conn.close();
        }
      },
      60_000,
    );
  });

  describe('MongoOutbox statistics (MongoDB)', () => {
    it('counts pending and failed rows at most once per statsCacheMs, and ages the oldest pending row at every call', async () => {
      const conn = await connectMongo(uri, { dbName: server.freshDatabaseName('oms_outbox_stats') });
      try {
        const outbox = await MongoOutbox.open(conn, 'outbox', { statsCacheMs: 1000 });
        const insert = (id: string, at: number) =>
          conn.transaction(
            (session) =>
              outbox.insert(
                { id, aggregateId: id, type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: new Date(at) },
                session,
              ),
            TRANSACTION_OPTIONS,
          );
        await insert('a', 100);
        expect(await outbox.outboxStats(new Date(1000))).toEqual({ pending: 1, failed: 0, oldestPendingAgeMs: 900 });
        await insert('b', 50);
        // Within the interval: the count is the remembered one, the age is not.
        expect(await outbox.outboxStats(new Date(1999))).toEqual({ pending: 1, failed: 0, oldestPendingAgeMs: 1949 });
        expect(await outbox.outboxStats(new Date(2000))).toEqual({ pending: 2, failed: 0, oldestPendingAgeMs: 1950 });
      } finally {
        await server.dropDatabase(conn);
        await conn.close();
      }
    });
  });
} else {
  describe.skip('OutboxStore contract: MongoDB (skipped: set MONGODB_URI to a replica set, or run pnpm test:mongo)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
