import { mongoTestServer } from '@oms/dev-stack/src/mongo';
import { openMongoOrderStore } from '../../src/store/mongo';
import { describeLoadTestStoreContract } from './load-test-store.contract';
import { describeOrderStoreContract } from './order-store.contract';

/** Runs when MONGODB_URI points at a replica set: `pnpm test:mongo` (jongodb, or MONGODB_URI). */
const server = mongoTestServer();

if (server) {
  // Every store gets its own database so each test starts empty.
  describeOrderStoreContract('MongoDB', () => openMongoOrderStore(server.freshDatabaseUri('oms_contract')), server);
  describeLoadTestStoreContract('MongoDB', () => openMongoOrderStore(server.freshDatabaseUri('oms_contract')));
} else {
  describe.skip('OrderServiceStore contract: MongoDB (skipped: set MONGODB_URI to a replica set, or run pnpm test:mongo)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
