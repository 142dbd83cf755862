/** Created at open; times are epoch milliseconds. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox (
  event_id         TEXT PRIMARY KEY,
  order_id         TEXT NOT NULL,
  priority         TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('processing', 'emailed', 'done', 'failed')),
  received_at      INTEGER NOT NULL,
  email_message_id TEXT,
  emailed_at       INTEGER,
  completed_at     INTEGER,
  note             TEXT,
  failure_reason   TEXT,
  attempts         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS inbox_order ON inbox (order_id);

CREATE TABLE IF NOT EXISTS outbox (
  id              TEXT PRIMARY KEY,
  aggregate_id    TEXT NOT NULL,
  type            TEXT NOT NULL,
  destination     TEXT NOT NULL,
  payload         TEXT NOT NULL,
  occurred_at     INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  locked_until    INTEGER,
  published_at    INTEGER,
  last_error      TEXT
);
CREATE INDEX IF NOT EXISTS outbox_claimable ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_status_age ON outbox (status, occurred_at);
`;
