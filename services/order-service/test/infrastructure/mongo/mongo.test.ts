import mongoose from 'mongoose';
import { mongoTestServer } from '@oms/dev-stack/mongo';
import { openStore } from '../../../src/infrastructure/open-store';
import { openMongoOrderStore } from '../../../src/infrastructure/mongo';
import { describeLoadTestStoreContract } from '../load-test-store.contract';
import { describeOrderStoreContract } from '../order-store.contract';

/** Runs when MONGODB_URI points at a replica set: `pnpm test:mongo` (jongodb, or MONGODB_URI). */
const server = mongoTestServer();

if (server) {
  // Every store gets its own database so each test starts empty.
  describeOrderStoreContract('MongoDB', () => openMongoOrderStore(server.freshDatabaseUri('oms_contract')), server);
  describeLoadTestStoreContract('MongoDB', () => openMongoOrderStore(server.freshDatabaseUri('oms_contract')));

  describe('openStore on MongoDB', () => {
    const outboxTtlSeconds = async (uri: string) => {
      const conn = await mongoose.createConnection(uri).asPromise();
      try {
        return (await conn.collection('order_outbox').indexes()).find((i) => i.name === 'outbox_published_ttl')?.expireAfterSeconds;
      } finally {
        await conn.close();
      }
    };
    const open = async (uri: string, hours: number) =>
      (await openStore({ MONGODB_URI: uri, SQLITE_PATH: 'unused', SQLITE_SYNCHRONOUS: 'FULL', OUTBOX_RETENTION_HOURS: hours })).close();

    it('deletes published outbox rows after OUTBOX_RETENTION_HOURS (the TTL index it makes)', async () => {
      const uri = server.freshDatabaseUri('oms_retention');
      await open(uri, 5);
      expect(await outboxTtlSeconds(uri)).toBe(5 * 3600);
    });

    server.needs('collMod')('applies a changed OUTBOX_RETENTION_HOURS to an existing outbox', async () => {
      const uri = server.freshDatabaseUri('oms_retention');
      await open(uri, 5);
      await open(uri, 0.5);
      expect(await outboxTtlSeconds(uri)).toBe(1800);
    });
  });
} else {
  describe.skip('OrderServiceStore contract: MongoDB (skipped: set MONGODB_URI to a replica set, or run pnpm test:mongo)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
