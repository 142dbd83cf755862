import { randomUUID } from 'node:crypto';
import { openMongoProcessingStore } from '../../src/store/mongo';
import { describeProcessingStoreContract } from './processing-store.contract';

const uri = process.env.MONGODB_URI;

/** A fresh database per store so every contract test starts empty (needs a replica set). */
function freshDatabase(base: string): string {
  const url = new URL(base);
  url.pathname = `/oms_processing_contract_${randomUUID().slice(0, 8)}`;
  return url.toString();
}

if (uri) {
  describeProcessingStoreContract('mongo', () => openMongoProcessingStore(freshDatabase(uri)));
} else {
  describe.skip('ProcessingStore contract: mongo (set MONGODB_URI to run)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
