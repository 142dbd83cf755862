import { mongoTestServer } from '@oms/dev-stack/src/mongo';
import { openMongoProcessingStore } from '../../src/store/mongo';
import { describeProcessingStoreContract } from './processing-store.contract';

/** Runs when MONGODB_URI points at a replica set: `pnpm test:mongo` (jongodb, or MONGODB_URI). */
const server = mongoTestServer();

if (server) {
  // A fresh database per store so every contract test starts empty.
  describeProcessingStoreContract('mongo', () => openMongoProcessingStore(server.freshDatabaseUri('oms_processing_contract')));
} else {
  describe.skip('ProcessingStore contract: mongo (skipped: set MONGODB_URI to a replica set, or run pnpm test:mongo)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
