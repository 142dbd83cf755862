import mongoose from 'mongoose';
import type { Order, Product, RefreshToken, User } from '../../src/app/ports';
import { isDuplicateKey, MongoSetupError } from '../../src/store/mongo/connect';
import {
  toOrder,
  toOrderDoc,
  toProduct,
  toProductDoc,
  toRefreshToken,
  toRefreshTokenDoc,
  toUser,
  toUserDoc,
  type OrderDoc,
} from '../../src/store/mongo/documents';
import { transactionSupportProblem } from '../../src/store/mongo/hello';
import { claimFilter, failureUpdate, newOutboxDoc, toOutboxMessage } from '../../src/store/mongo/outbox';

// Pure tests of the MongoDB adapter's mapping code; the adapter itself runs in mongo.test.ts against a real server.

const at = new Date('2026-01-02T03:04:05.678Z');

describe('transactionSupportProblem (hello reply)', () => {
  it('accepts a replica set member', () => {
    expect(transactionSupportProblem({ setName: 'rs0', isWritablePrimary: true } as { setName: string })).toBeNull();
  });

  it('accepts a mongos router', () => {
    expect(transactionSupportProblem({ msg: 'isdbgrid' })).toBeNull();
  });

  it('refuses a standalone server with one line that says how to fix it', () => {
    const problem = transactionSupportProblem({ isWritablePrimary: true } as object);
    expect(problem).toContain('--replSet rs0');
    expect(problem).toContain('rs.initiate()');
    expect(problem).toContain('docker compose up -d mongo');
    expect(problem).not.toContain('\n');
  });

  it('refuses an empty set name', () => {
    expect(transactionSupportProblem({ setName: '' })).not.toBeNull();
  });

  it('reports the refusal without a stack trace', () => {
    const err = new MongoSetupError('standalone');
    expect(err.stack).toBe('MongoSetupError: standalone');
  });
});

describe('isDuplicateKey', () => {
  const e11000 = (keyPattern: object) =>
    new mongoose.mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000, keyPattern });

  it('recognises E11000 on the named key only', () => {
    expect(isDuplicateKey(e11000({ email: 1 }), 'email')).toBe(true);
    expect(isDuplicateKey(e11000({ userId: 1, idempotencyKey: 1 }), 'idempotencyKey')).toBe(true);
    expect(isDuplicateKey(e11000({ _id: 1 }), 'email')).toBe(false);
    expect(isDuplicateKey(e11000({ _id: 1 }))).toBe(true);
  });

  it('ignores other errors', () => {
    expect(isDuplicateKey(new mongoose.mongo.MongoServerError({ message: 'other', code: 112 }), 'email')).toBe(false);
    expect(isDuplicateKey(new Error('E11000'), 'email')).toBe(false);
    expect(isDuplicateKey({ code: 11000, keyPattern: { email: 1 } }, 'email')).toBe(false);
  });
});

describe('document mapping', () => {
  it('round-trips a user with the id as _id', () => {
    const user: User = { id: 'u1', username: 'asha', email: 'asha@example.com', passwordHash: '$argon2id$x', role: 'customer', tier: 'GOLD', createdAt: at };
    expect(toUserDoc(user)).toEqual({ _id: 'u1', username: 'asha', email: 'asha@example.com', passwordHash: '$argon2id$x', role: 'customer', tier: 'GOLD', createdAt: at });
    expect(toUser(toUserDoc(user))).toEqual(user);
  });

  it('round-trips a refresh token keyed by its hash, with nulls kept', () => {
    const token: RefreshToken = { tokenHash: 'h1', userId: 'u1', familyId: 'f1', expiresAt: at, usedAt: null, revokedAt: null };
    expect(toRefreshTokenDoc(token)._id).toBe('h1');
    expect(toRefreshToken(toRefreshTokenDoc(token))).toEqual(token);
  });

  it('reads a missing optional field as null, as the ports say', () => {
    const stored = { _id: 'h1', userId: 'u1', familyId: 'f1', expiresAt: at } as Parameters<typeof toRefreshToken>[0];
    expect(toRefreshToken(stored)).toEqual({ tokenHash: 'h1', userId: 'u1', familyId: 'f1', expiresAt: at, usedAt: null, revokedAt: null });
  });

  it('round-trips a product', () => {
    const product: Product = { id: 'p1', sku: 'SKU-1', name: 'Tea', priceCents: 1250, currency: 'INR', stock: 3, createdAt: at, updatedAt: at };
    expect(toProduct(toProductDoc(product))).toEqual(product);
  });

  const order: Order = {
    id: 'o1',
    userId: 'u1',
    username: 'asha',
    status: 'PENDING',
    tier: 'DIAMOND',
    items: [{ productId: 'p1', sku: 'SKU-1', name: 'Tea', unitPriceCents: 1250, quantity: 2, lineTotalCents: 2500 }],
    subtotalCents: 2500,
    taxCents: 450,
    totalCents: 2950,
    currency: 'INR',
    createdAt: at,
    processedAt: null,
    processingTimeMs: null,
    failureReason: null,
  };

  it('stores the idempotency key and request hash with the order, and leaves them out of the port object', () => {
    const doc = toOrderDoc(order, { idempotencyKey: 'k1', requestHash: 'abc' });
    expect(doc).toMatchObject({ _id: 'o1', idempotencyKey: 'k1', requestHash: 'abc' });
    expect(toOrder(doc)).toEqual(order);
    expect(toOrderDoc(order, { idempotencyKey: null, requestHash: 'abc' }).idempotencyKey).toBeNull();
  });

  it('strips anything stored beside the order lines', () => {
    const doc = toOrderDoc(order, { idempotencyKey: null, requestHash: 'abc' });
    const stored: OrderDoc = { ...doc, items: doc.items.map((l) => ({ ...l, _id: 'x' })) };
    expect(toOrder(stored).items).toEqual(order.items);
  });
});

describe('outbox documents', () => {
  const message = { id: 'e1', aggregateId: 'o1', type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: at };

  it('starts a new row pending, due at once, with no lease', () => {
    const doc = newOutboxDoc(message);
    expect(doc).toEqual({
      _id: 'e1', aggregateId: 'o1', type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: at,
      status: 'pending', attempts: 0, nextAttemptAt: at, lockedUntil: null, publishedAt: null, lastError: null,
    });
    expect(toOutboxMessage(doc)).toEqual({ ...message, status: 'pending', attempts: 0, nextAttemptAt: at, lockedUntil: null, publishedAt: null, lastError: null });
  });

  it('backs a failure off, or parks it when there is no next attempt', () => {
    expect(failureUpdate({ id: 'e1', error: 'down', nextAttemptAt: at })).toEqual({
      $inc: { attempts: 1 },
      $set: { status: 'pending', lastError: 'down', lockedUntil: null, nextAttemptAt: at },
    });
    expect(failureUpdate({ id: 'e1', error: 'gave up', nextAttemptAt: null })).toEqual({
      $inc: { attempts: 1 },
      $set: { status: 'failed', lastError: 'gave up', lockedUntil: null },
    });
  });

  it("keeps the claim filter's operators through mongoose's sanitizeFilter", () => {
    const filter = claimFilter(at);
    expect(mongoose.sanitizeFilter(claimFilter(at))).toEqual(filter);
    expect(filter).toEqual({
      status: 'pending',
      nextAttemptAt: mongoose.trusted({ $lte: at }),
      $or: [{ lockedUntil: null }, { lockedUntil: mongoose.trusted({ $lt: at }) }],
    });
  });
});
