import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ProcessingStore } from '../../app/ports';
import { SqliteProcessingStore } from './sqlite-processing-store';

export async function openSqliteProcessingStore(file: string): Promise<ProcessingStore> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('cache_size = -32768');
  return new SqliteProcessingStore(db);
}
