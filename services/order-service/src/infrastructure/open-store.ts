import type { SqliteSynchronous } from '@oms/platform/sqlite';
import type { LoadTestableStore } from '../loadtest/ports';

/**
 * MONGODB_URI set -> MongoDB (compose / production); otherwise the embedded SQLite file. Only the
 * chosen adapter is loaded, so an embedded run never loads mongoose.
 */
export async function openStore(cfg: {
  MONGODB_URI?: string | undefined;
  SQLITE_PATH: string;
  OUTBOX_RETENTION_HOURS: number;
  SQLITE_SYNCHRONOUS: SqliteSynchronous;
}): Promise<LoadTestableStore> {
  if (cfg.MONGODB_URI) {
    return (await import('./mongo/index.ts')).openMongoOrderStore(cfg.MONGODB_URI, { retentionHours: cfg.OUTBOX_RETENTION_HOURS });
  }
  return (await import('./sqlite/index.ts')).openSqliteOrderStore(cfg.SQLITE_PATH, { synchronous: cfg.SQLITE_SYNCHRONOUS });
}
