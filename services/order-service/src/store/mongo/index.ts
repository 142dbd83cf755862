import type { OrderServiceStore } from '../../app/ports';
import { connectMongo, DEFAULT_OUTBOX_RETENTION_HOURS, type MongoStoreOptions } from './connect';
import { orderSchema, productSchema, refreshTokenSchema, userSchema, type OrderDoc, type ProductDoc, type RefreshTokenDoc, type UserDoc } from './documents';
import { MongoOutbox, outboxSchema, prepareOutbox, type OutboxDoc } from './outbox';
import { MongoOrderStore } from './order-store';

export type { MongoStoreOptions } from './connect';

/**
 * The order service's store on MongoDB (selected when MONGODB_URI is set). Refuses a server
 * without transactions; makes collections and indexes before the first request. The outbox
 * collection carries the service name so both services can share one database.
 */
export async function openMongoOrderStore(uri: string, opts: MongoStoreOptions = {}): Promise<OrderServiceStore> {
  const retentionHours = opts.outboxRetentionHours ?? DEFAULT_OUTBOX_RETENTION_HOURS;
  const conn = await connectMongo(uri, opts);
  try {
    const models = {
      users: conn.model<UserDoc>('User', userSchema, 'users'),
      refreshTokens: conn.model<RefreshTokenDoc>('RefreshToken', refreshTokenSchema, 'refresh_tokens'),
      products: conn.model<ProductDoc>('Product', productSchema, 'products'),
      orders: conn.model<OrderDoc>('Order', orderSchema, 'orders'),
    };
    for (const model of Object.values(models)) {
      await model.createCollection();
      await model.createIndexes();
    }
    const outbox = conn.model<OutboxDoc>('OrderOutbox', outboxSchema(retentionHours), 'order_outbox');
    await prepareOutbox(conn, outbox, retentionHours);
    return new MongoOrderStore(conn, models, new MongoOutbox(outbox));
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}
