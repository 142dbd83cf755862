import mongoose from 'mongoose';
import { isDuplicateKey, MongoSetupError } from '../../src/store/mongo/connect';
import { transactionSupportProblem } from '../../src/store/mongo/hello';
import { firstDeliveryFields, toInboxEntry, type InboxDoc } from '../../src/store/mongo/inbox';
import { claimFilter, failureUpdate, newOutboxDoc, toOutboxMessage } from '../../src/store/mongo/outbox';

// Pure tests of the MongoDB adapter's mapping code; the adapter itself runs in mongo.test.ts against a real server.

const at = new Date('2026-01-02T03:04:05.678Z');

describe('transactionSupportProblem (hello reply)', () => {
  it('accepts a replica set member or a mongos router', () => {
    expect(transactionSupportProblem({ setName: 'rs0' })).toBeNull();
    expect(transactionSupportProblem({ msg: 'isdbgrid' })).toBeNull();
  });

  it('refuses a standalone server with one line that says how to fix it', () => {
    const problem = transactionSupportProblem({});
    expect(problem).toContain('--replSet rs0');
    expect(problem).toContain('rs.initiate()');
    expect(problem).not.toContain('\n');
    expect(new MongoSetupError(problem!).stack).toBe(`MongoSetupError: ${problem}`);
  });
});

describe('isDuplicateKey', () => {
  it('recognises E11000 on the named key only', () => {
    const err = new mongoose.mongo.MongoServerError({ message: 'E11000', code: 11000, keyPattern: { _id: 1 } });
    expect(isDuplicateKey(err, '_id')).toBe(true);
    expect(isDuplicateKey(err, 'orderId')).toBe(false);
    expect(isDuplicateKey(new Error('E11000'))).toBe(false);
  });
});

describe('inbox documents', () => {
  const first = { eventId: 'e1', orderId: 'o1', priority: 'VIP' as const, receivedAt: at, note: 'sent with priority' };

  it('writes a first delivery in state processing with nothing else recorded yet', () => {
    expect(firstDeliveryFields(first)).toEqual({
      orderId: 'o1', priority: 'VIP', state: 'processing', receivedAt: at,
      emailMessageId: null, emailedAt: null, completedAt: null, note: 'sent with priority', failureReason: null,
    });
  });

  it('maps the stored row to the port entry, event id from _id', () => {
    const doc: InboxDoc = { _id: 'e1', ...firstDeliveryFields(first), attempts: 1 };
    expect(toInboxEntry(doc)).toEqual({
      eventId: 'e1', orderId: 'o1', priority: 'VIP', state: 'processing', receivedAt: at,
      emailMessageId: null, emailedAt: null, completedAt: null, note: 'sent with priority', failureReason: null, attempts: 1,
    });
  });

  it('reads missing optional fields as null', () => {
    const sparse = { _id: 'e1', orderId: 'o1', priority: 'NORMAL', state: 'done', receivedAt: at, attempts: 2 } as InboxDoc;
    expect(toInboxEntry(sparse)).toMatchObject({ emailMessageId: null, emailedAt: null, completedAt: null, note: null, failureReason: null });
  });
});

describe('outbox documents', () => {
  const message = { id: 'e1', aggregateId: 'o1', type: 'order.status-changed', destination: 'order-status', payload: '{}', occurredAt: at };

  it('starts a new row pending, due at once, with no lease', () => {
    expect(toOutboxMessage(newOutboxDoc(message))).toEqual({
      ...message, status: 'pending', attempts: 0, nextAttemptAt: at, lockedUntil: null, publishedAt: null, lastError: null,
    });
  });

  it('backs a failure off, or parks it when there is no next attempt', () => {
    expect(failureUpdate({ id: 'e1', error: 'down', nextAttemptAt: at }).$set).toEqual({ status: 'pending', lastError: 'down', lockedUntil: null, nextAttemptAt: at });
    expect(failureUpdate({ id: 'e1', error: 'gave up', nextAttemptAt: null }).$set).toEqual({ status: 'failed', lastError: 'gave up', lockedUntil: null });
  });

  it("keeps the claim filter's operators through mongoose's sanitizeFilter", () => {
    const filter = claimFilter(at);
    expect(mongoose.sanitizeFilter(claimFilter(at))).toEqual(filter);
    expect(filter).toEqual({
      status: 'pending',
      nextAttemptAt: mongoose.trusted({ $lte: at }),
      $or: [{ lockedUntil: null }, { lockedUntil: mongoose.trusted({ $lte: at }) }],
    });
  });
});
