import { randomUUID } from 'node:crypto';
import { openMongoOrderStore } from '../../src/store/mongo';
import { describeLoadTestStoreContract } from './load-test-store.contract';
import { describeOrderStoreContract } from './order-store.contract';

/** Runs only when MONGODB_URI points at a replica set (e.g. `docker compose up mongo`). */
const uri = process.env.MONGODB_URI;

/** Every store gets its own database so each test starts empty. */
function freshDatabaseUri(base: string): string {
  const url = new URL(base);
  url.pathname = `/oms_contract_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  return url.toString();
}

if (uri) {
  describeOrderStoreContract('MongoDB', () => openMongoOrderStore(freshDatabaseUri(uri)));
  describeLoadTestStoreContract('MongoDB', () => openMongoOrderStore(freshDatabaseUri(uri)));
} else {
  describe.skip('OrderServiceStore contract: MongoDB (skipped: set MONGODB_URI to a replica set to run it)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
