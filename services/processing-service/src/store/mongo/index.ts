import type { ProcessingStore } from '../../app/ports';
import { connectMongo, DEFAULT_OUTBOX_RETENTION_HOURS, type MongoStoreOptions } from './connect';
import { inboxSchema, type InboxDoc } from './inbox';
import { MongoOutbox, outboxSchema, prepareOutbox, type OutboxDoc } from './outbox';
import { MongoProcessingStore } from './processing-store';

/**
 * The processing service's store on MongoDB (selected when MONGODB_URI is set). Collection names
 * carry the service prefix so both services can share one database without mixing outboxes.
 */
export async function openMongoProcessingStore(uri: string, opts: MongoStoreOptions = {}): Promise<ProcessingStore> {
  const retentionHours = opts.outboxRetentionHours ?? DEFAULT_OUTBOX_RETENTION_HOURS;
  const conn = await connectMongo(uri, opts);
  try {
    const inbox = conn.model<InboxDoc>('ProcessingInbox', inboxSchema, 'processing_inbox');
    const outbox = conn.model<OutboxDoc>('ProcessingOutbox', outboxSchema(retentionHours), 'processing_outbox');
    await inbox.createCollection();
    await inbox.createIndexes();
    await prepareOutbox(conn, outbox, retentionHours);
    return new MongoProcessingStore(conn, inbox, new MongoOutbox(outbox));
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}
