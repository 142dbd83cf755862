import type { Database } from 'better-sqlite3';

/**
 * FULL (default): a commit is on disk before it is answered, so it survives power loss; group
 * commit spreads that fsync over every order of an event-loop turn. NORMAL in WAL mode skips the
 * fsync per commit: faster, never corrupt, but the last commits before a power loss (or OS crash)
 * can vanish although they were answered.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

/** The settings every service's SQLite file runs with: one writer process, readers beside it. */
export function tuneSqlite(db: Database, synchronous: SqliteSynchronous = 'FULL'): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  // 32 MiB of page cache (default 2 MiB): the hot ends of a million-order table's indexes stay in memory.
  db.pragma('cache_size = -32768');
}
