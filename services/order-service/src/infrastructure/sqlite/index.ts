import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tuneSqlite, type SqliteSynchronous } from '@oms/platform/sqlite';
import type { LoadTestableStore } from '../../loadtest/ports';
import { SCHEMA } from './schema';
import { SqliteOrderStore } from './sqlite-order-store';

/** Opens (creating when missing) the SQLite file, tunes it for one writer + many readers, applies the schema. */
export async function openSqliteOrderStore(
  file: string,
  opts: { synchronous?: SqliteSynchronous; verbose?: Database.Options['verbose'] } = {},
): Promise<LoadTestableStore> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { verbose: opts.verbose });
  try {
    tuneSqlite(db, opts.synchronous ?? 'FULL');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
    return new SqliteOrderStore(db);
  } catch (err) {
    db.close();
    throw err;
  }
}
