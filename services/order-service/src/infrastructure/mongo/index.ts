import { MongoOutbox, type MongoOutboxOptions } from '@oms/outbox/mongo';
import { connectMongo, ensureCollection, type MongoConnectOptions } from '@oms/platform/mongo';
import type { LoadTestableStore } from '../../loadtest/ports';
import {
  orderEventSchema,
  orderSchema,
  productSchema,
  rateLimitSchema,
  refreshTokenSchema,
  userSchema,
  type OrderDoc,
  type OrderEventDoc,
  type ProductDoc,
  type RateLimitDoc,
  type RefreshTokenDoc,
  type UserDoc,
} from './documents';
import { MongoLoadTestStore } from './load-test-store';
import { MongoOrderStore } from './order-store';

export type MongoStoreOptions = MongoConnectOptions & MongoOutboxOptions;

/**
 * The order service's store on MongoDB (selected when MONGODB_URI is set). Refuses a server
 * without transactions; makes collections and indexes before the first request. The outbox
 * collection carries the service name so both services can share one database.
 */
export async function openMongoOrderStore(uri: string, opts: MongoStoreOptions = {}): Promise<LoadTestableStore> {
  const conn = await connectMongo(uri, opts);
  try {
    const models = {
      users: conn.model<UserDoc>('User', userSchema, 'users'),
      refreshTokens: conn.model<RefreshTokenDoc>('RefreshToken', refreshTokenSchema, 'refresh_tokens'),
      products: conn.model<ProductDoc>('Product', productSchema, 'products'),
      orders: conn.model<OrderDoc>('Order', orderSchema, 'orders'),
      orderEvents: conn.model<OrderEventDoc>('OrderEvent', orderEventSchema, 'order_events'),
      rateLimits: conn.model<RateLimitDoc>('RateLimit', rateLimitSchema, 'rate_limits'),
    };
    for (const model of Object.values(models)) await ensureCollection(model);
    const outbox = await MongoOutbox.open(conn, 'order_outbox', opts);
    const loadTest = await MongoLoadTestStore.open(conn, models.users, models.orders, outbox);
    return new MongoOrderStore(conn, models, outbox, loadTest);
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}
