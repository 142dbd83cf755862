import { MongoOutbox, type MongoOutboxOptions } from '@oms/outbox/mongo';
import { connectMongo, ensureCollection, type MongoConnectOptions } from '@oms/platform/mongo';
import type { ProcessingStore } from '../../application/ports';
import { inboxSchema, type InboxDoc } from './inbox';
import { MongoProcessingStore } from './processing-store';

/**
 * The processing service's store on MongoDB (selected when MONGODB_URI is set). Collection names
 * carry the service prefix so both services can share one database without mixing outboxes.
 */
export async function openMongoProcessingStore(uri: string, opts: MongoConnectOptions & MongoOutboxOptions = {}): Promise<ProcessingStore> {
  const conn = await connectMongo(uri, opts);
  try {
    const inbox = conn.model<InboxDoc>('ProcessingInbox', inboxSchema, 'processing_inbox');
    await ensureCollection(inbox);
    const outbox = await MongoOutbox.open(conn, 'processing_outbox', opts);
    return new MongoProcessingStore(conn, inbox, outbox);
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}
