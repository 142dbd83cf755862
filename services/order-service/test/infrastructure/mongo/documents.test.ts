import type { Order } from '../../../src/domain/order';
import type { Product } from '../../../src/domain/product';
import type { RefreshToken } from '../../../src/application/identity/ports';
import type { User } from '../../../src/domain/user';
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
} from '../../../src/infrastructure/mongo/documents';

// Pure tests of the MongoDB adapter's mapping code; the adapter itself runs in mongo.test.ts (next to this file) against a real server.

const at = new Date('2026-01-02T03:04:05.678Z');

describe('document mapping', () => {
  it('round-trips a user with the id as _id', () => {
    const user: User = {
      id: 'u1',
      username: 'asha',
      email: 'asha@example.com',
      passwordHash: '$argon2id$x',
      role: 'customer',
      tier: 'GOLD',
      createdAt: at,
    };
    expect(toUserDoc(user)).toEqual({
      _id: 'u1',
      username: 'asha',
      email: 'asha@example.com',
      passwordHash: '$argon2id$x',
      role: 'customer',
      tier: 'GOLD',
      createdAt: at,
    });
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
    const product: Product = {
      id: 'p1',
      sku: 'SKU-1',
      name: 'Tea',
      priceCents: 1250,
      currency: 'INR',
      stock: 3,
      createdAt: at,
      updatedAt: at,
    };
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
