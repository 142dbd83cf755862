import type { Database } from 'better-sqlite3';

/**
 * Free-text search of orders without reading every order. The text an order is searched by (its
 * product names and skus, and its shopper's name) repeats across orders, so each distinct text is
 * stored once in search_texts, indexed by trigrams (FTS5), and an order points at its text
 * (orders.search_id). A query finds the matching texts through the trigram index, then reads the
 * newest orders of each text through orders_search_page: its cost follows the page and the number
 * of matching texts, not the number of orders.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS search_texts (
  id         INTEGER PRIMARY KEY,
  items_text TEXT NOT NULL,
  username   TEXT NOT NULL,
  UNIQUE (items_text, username)
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_texts_fts USING fts5(
  items_text, username, content = 'search_texts', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER IF NOT EXISTS search_texts_indexed AFTER INSERT ON search_texts BEGIN
  INSERT INTO search_texts_fts (rowid, items_text, username) VALUES (NEW.id, NEW.items_text, NEW.username);
END;
`;

/** Files made before search_id existed: every order gets its text, once, at the first open. */
const BACKFILL = `
ALTER TABLE orders ADD COLUMN search_id INTEGER;
INSERT OR IGNORE INTO search_texts (items_text, username) SELECT DISTINCT search_text, username FROM orders;
UPDATE orders SET search_id = (SELECT id FROM search_texts s WHERE s.items_text = orders.search_text AND s.username = orders.username);
`;

const INDEXES = `
CREATE INDEX IF NOT EXISTS orders_search_page ON orders (search_id, created_at, id);
`;

/** Trigram matching needs three characters; a shorter query reads the (far smaller) table of distinct texts. */
const TRIGRAM = 3;

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SqliteOrderSearch {
  private readonly stmt;

  constructor(db: Database) {
    db.transaction(() => {
      db.exec(SCHEMA);
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('orders');
      if (!columns.includes('search_id')) db.exec(BACKFILL);
      db.exec(INDEXES);
    }).immediate();
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      addText: p('INSERT INTO search_texts (items_text, username) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      textId: p('SELECT id FROM search_texts WHERE items_text = ? AND username = ?').pluck(),
      matchTexts: p('SELECT rowid FROM search_texts_fts WHERE search_texts_fts MATCH ? LIMIT ?').pluck(),
      likeTexts: p(
        `SELECT id FROM search_texts WHERE items_text LIKE @like ESCAPE '\\' OR username LIKE @like ESCAPE '\\' LIMIT @limit`,
      ).pluck(),
    };
  }

  /** The id of an order's search text, adding the text when new; synchronous, inside the caller's transaction. */
  textId(itemsText: string, username: string): number {
    this.stmt.addText.run(itemsText, username);
    return this.stmt.textId.get(itemsText, username) as number;
  }

  /** Ids of the texts containing q (case-insensitive), at most limit of them. */
  matchingTexts(q: string, limit: number): number[] {
    // An FTS5 query string ends at a NUL ("unterminated string"); LIKE takes any text.
    if ([...q].length >= TRIGRAM && !q.includes('\u0000')) return this.stmt.matchTexts.all(`"${q.replace(/"/g, '""')}"`, limit) as number[];
    return this.stmt.likeTexts.all({ like: `%${escapeLike(q)}%`, limit }) as number[];
  }
}
