import type { Config } from '../config';
import type { ProcessingStore } from '../app/ports';
import { openMongoProcessingStore } from './mongo';
import { openSqliteProcessingStore } from './sqlite';

/** MONGODB_URI set -> MongoDB (compose, production); otherwise the embedded SQLite file. */
export function openStore(cfg: Pick<Config, 'MONGODB_URI' | 'SQLITE_PATH'>): Promise<ProcessingStore> {
  return cfg.MONGODB_URI ? openMongoProcessingStore(cfg.MONGODB_URI) : openSqliteProcessingStore(cfg.SQLITE_PATH);
}
