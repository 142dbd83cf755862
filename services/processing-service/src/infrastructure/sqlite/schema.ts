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
`;
