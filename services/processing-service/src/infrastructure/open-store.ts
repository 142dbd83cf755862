import type { Config } from '../config';
import type { ProcessingStore } from '../application/ports';

/**
 * MONGODB_URI set -> MongoDB (compose, production); otherwise the embedded SQLite file. Only the
 * chosen adapter is loaded, so an embedded run never loads mongoose.
 */
export async function openStore(
  cfg: Pick<Config, 'MONGODB_URI' | 'SQLITE_PATH' | 'OUTBOX_RETENTION_HOURS' | 'SQLITE_SYNCHRONOUS'>,
): Promise<ProcessingStore> {
  if (cfg.MONGODB_URI) {
    return (await import('./mongo/index.ts')).openMongoProcessingStore(cfg.MONGODB_URI, { retentionHours: cfg.OUTBOX_RETENTION_HOURS });
  }
  return (await import('./sqlite/index.ts')).openSqliteProcessingStore(cfg.SQLITE_PATH, cfg.SQLITE_SYNCHRONOUS);
}
