/**
 * Idempotent schema, applied at every open. Times are epoch milliseconds (INTEGER) everywhere,
 * so keyset comparisons are plain integer comparisons.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL,
  email         TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL,
  tier          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  family_id  TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens(family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens(user_id);

CREATE TABLE IF NOT EXISTS products (
  id          TEXT PRIMARY KEY,
  sku         TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  stock       INTEGER NOT NULL CHECK (stock >= 0),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS products_page ON products(created_at, id);

CREATE TABLE IF NOT EXISTS orders (
  id                 TEXT PRIMARY KEY,
  user_id            TEXT NOT NULL REFERENCES users(id),
  username           TEXT NOT NULL,
  status             TEXT NOT NULL,
  tier               TEXT NOT NULL,
  items              TEXT NOT NULL,  -- JSON array of lines: the price snapshot
  search_text        TEXT NOT NULL,  -- product names and skus, one per line, for admin search (see order-search.ts)
  subtotal_cents     INTEGER NOT NULL,
  tax_cents          INTEGER NOT NULL,
  total_cents        INTEGER NOT NULL,
  currency           TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  processed_at       INTEGER,
  processing_time_ms INTEGER,
  failure_reason     TEXT,
  idempotency_key    TEXT,
  request_hash       TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS orders_idempotency ON orders(user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_user_page ON orders(user_id, created_at, id);
CREATE INDEX IF NOT EXISTS orders_page ON orders(created_at, id);
CREATE INDEX IF NOT EXISTS orders_status_page ON orders(status, created_at, id);
DROP INDEX IF EXISTS orders_total;
CREATE INDEX IF NOT EXISTS orders_total_page ON orders(total_cents, created_at, id);
CREATE INDEX IF NOT EXISTS orders_processed ON orders(status, processed_at);

-- The order change feed every replica tails (live updates). AUTOINCREMENT: a sequence is never
-- reused, even once pruning has emptied the table, so a client's Last-Event-ID stays unambiguous.
-- The order itself is joined in on read; the row keeps what a later change overwrites.
CREATE TABLE IF NOT EXISTS order_events (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  type               TEXT NOT NULL,
  order_id           TEXT NOT NULL,
  user_id            TEXT NOT NULL,
  status             TEXT NOT NULL,
  processed_at       INTEGER,
  processing_time_ms INTEGER,
  failure_reason     TEXT,
  at                 INTEGER NOT NULL
);

-- Rate-limit counters shared by every replica on this file: one fixed window per key.
CREATE TABLE IF NOT EXISTS rate_limits (
  key      TEXT PRIMARY KEY,
  count    INTEGER NOT NULL,
  reset_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rate_limits_reset ON rate_limits(reset_at);
`;
