import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tuneSqlite, type SqliteSynchronous } from '@oms/platform/sqlite';
import type { ProcessingStore } from '../../application/ports';
import { SqliteProcessingStore } from './sqlite-processing-store';

export async function openSqliteProcessingStore(file: string, synchronous: SqliteSynchronous = 'FULL'): Promise<ProcessingStore> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  tuneSqlite(db, synchronous);
  // Checkpoint every 10,000 pages (default 1,000): the inbox's hot pages are copied back less often.
  db.pragma('wal_autocheckpoint = 10000');
  return new SqliteProcessingStore(db);
}
