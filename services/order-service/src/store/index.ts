import type { OrderServiceStore } from '../app/ports';
import { openMongoOrderStore } from './mongo';
import { openSqliteOrderStore } from './sqlite';

/** MONGODB_URI set -> MongoDB (compose / production); otherwise the embedded SQLite file. */
export function openStore(cfg: { MONGODB_URI?: string | undefined; SQLITE_PATH: string }): Promise<OrderServiceStore> {
  return cfg.MONGODB_URI ? openMongoOrderStore(cfg.MONGODB_URI) : openSqliteOrderStore(cfg.SQLITE_PATH);
}
