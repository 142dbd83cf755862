import mongoose from 'mongoose';
import { mongoTestServer } from '@oms/dev-stack/mongo';
import { waitFor } from '../src';
import { describeOrderFlow } from './order-flow';

// Start-up compiles both services with tsx; generous for a loaded 2-core CI machine.
jest.setTimeout(180_000);

/** The same flow with both services on MongoDB (one fresh database, shared as in compose): `pnpm test:mongo`. */
const server = mongoTestServer();

if (server) {
  const uri = server.freshDatabaseUri('oms_e2e');
  // Without write conflicts a PROCESSING announcement overlapping the completion commits its stale
  // copy of the inbox row over the completed one (the server keeps the last writer's document), so
  // there the flow runs without announcements; they have single-session tests of their own.
  const noConflicts: Record<string, string> = server.lacks('concurrency') ? { PROCESSING_STATUS_AFTER_MS: '60000' } : {};
  describeOrderFlow('order-flow-mongo', { MONGODB_URI: uri }, noConflicts);

  it('kept it all in MongoDB: orders, the processing inbox, and both outboxes published', async () => {
    const conn = await mongoose.createConnection(uri).asPromise();
    try {
      const count = (name: string, filter: object = {}) => conn.collection(name).countDocuments(filter);
      // The processed order and the replayed one (the 409 and the 422 wrote nothing); both get processed.
      expect(await count('orders')).toBe(2);
      await waitFor(
        'both orders processed',
        () => count('orders', { status: 'PROCESSED' }),
        (n) => n === 2,
        { timeoutMs: 20_000 },
      );
      expect(await count('order_outbox', { status: 'published' })).toBe(2);
      expect(await count('processing_inbox', { state: 'done' })).toBe(2);
      await waitFor(
        'status events published',
        () => count('processing_outbox', { status: 'published' }),
        (n) => n >= 2,
        { timeoutMs: 20_000 },
      );
    } finally {
      await conn.close();
    }
  });
} else {
  describe.skip('order flow on MongoDB (skipped: set MONGODB_URI to a replica set, or run pnpm test:mongo)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
