/** SQLite helpers for better-sqlite3 databases: group commit, the shared pragmas, and the query-plan check the tests use. */
export * from './group-commit';
export * from './plan';
export * from './tuning';
