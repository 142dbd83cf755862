import mongoose from 'mongoose';
import { claimFilter, failureUpdate, newOutboxDoc, toOutboxMessage } from '../src/mongo';

// Pure tests of MongoOutbox's mapping code; MongoOutbox itself runs in mongo.test.ts against a real server.

const at = new Date('2026-01-02T03:04:05.678Z');

describe('outbox documents', () => {
  const message = { id: 'e1', aggregateId: 'o1', type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: at };

  it('starts a new row pending, due at once, with no lease, keyed by the event id', () => {
    const doc = newOutboxDoc(message);
    expect(doc).toEqual({
      _id: 'e1',
      aggregateId: 'o1',
      type: 'order.placed',
      destination: 'orders',
      payload: '{}',
      occurredAt: at,
      priority: false,
      traceparent: null,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lockedUntil: null,
      publishedAt: null,
      lastError: null,
    });
    expect(toOutboxMessage(doc)).toEqual({
      ...message,
      priority: false,
      traceparent: null,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lockedUntil: null,
      publishedAt: null,
      lastError: null,
    });
  });

  it('reads missing optional fields as null', () => {
    const { lockedUntil: _l, publishedAt: _p, lastError: _e, traceparent: _t, ...sparse } = newOutboxDoc(message);
    expect(toOutboxMessage(sparse as Parameters<typeof toOutboxMessage>[0])).toMatchObject({
      lockedUntil: null,
      publishedAt: null,
      lastError: null,
      traceparent: null,
    });
  });

  it('backs a failure off, or parks it (due time kept) when there is no next attempt', () => {
    expect(failureUpdate({ id: 'e1', error: 'down', nextAttemptAt: at, countsAsAttempt: true })).toEqual({
      $inc: { attempts: 1 },
      $set: { status: 'pending', lastError: 'down', lockedUntil: null, nextAttemptAt: at },
    });
    expect(failureUpdate({ id: 'e1', error: 'gave up', nextAttemptAt: null, countsAsAttempt: true })).toEqual({
      $inc: { attempts: 1 },
      $set: { status: 'failed', lastError: 'gave up', lockedUntil: null },
    });
  });

  it("claims only past a lease, keeping the filter's operators through mongoose's sanitizeFilter", () => {
    const filter = claimFilter(at);
    expect(mongoose.sanitizeFilter(claimFilter(at))).toEqual(filter);
    expect(filter).toEqual({
      status: 'pending',
      nextAttemptAt: mongoose.trusted({ $lte: at }),
      $or: [{ lockedUntil: null }, { lockedUntil: mongoose.trusted({ $lt: at }) }],
    });
  });
});
