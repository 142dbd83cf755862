import type { Database, Statement } from 'better-sqlite3';
import { LoadRunDto } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import type { SqliteOutbox } from '@oms/outbox/sqlite';
import type { LoadRunRecord, LoadTestStore } from '../../loadtest/ports';
import type { Order } from '../../domain/order';
import type { SqliteOrderSearch } from './order-search';
import { itemsText, ORDER_COLUMNS, orderValues } from './rows';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS load_runs (
  id         TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  run        TEXT NOT NULL  -- the LoadRunDto as last saved, JSON
);
CREATE INDEX IF NOT EXISTS load_runs_started ON load_runs(started_at, id);
`;

/** Orders per multi-row INSERT: 18 values a row keeps a statement far below SQLite's variable limit. */
const ORDER_ROWS = 50;

const likeSuffix = (domain: string) => `%@${domain.replace(/[\\%_]/g, (c) => `\\${c}`)}`;

/**
 * The SQLite side of load runs. The bulk path is prepared multi-row INSERTs in one IMMEDIATE
 * transaction per chunk, which is what lets a million orders plus their outbox rows land in seconds.
 */
export class SqliteLoadTestStore implements LoadTestStore {
  private readonly stmt;
  private readonly insertOrderRows: (rows: number) => Statement;
  private readonly bulkTx;
  private readonly purgeTx;

  constructor(db: Database, outbox: SqliteOutbox, search: SqliteOrderSearch) {
    db.exec(SCHEMA);
    const p = (sql: string) => db.prepare(sql);
    const multi = new Map<number, Statement>();
    const row = `(${ORDER_COLUMNS.map(() => '?').join(', ')})`;
    this.insertOrderRows = (rows) => {
      let stmt = multi.get(rows);
      if (!stmt) {
        stmt = p(`INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
        multi.set(rows, stmt);
      }
      return stmt;
    };
    this.stmt = {
      // The outbox table belongs to @oms/outbox; a wipe removes published rows too, which it has no call for.
      purgeOutbox: p(`DELETE FROM outbox WHERE aggregate_id IN (
          SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email LIKE ? ESCAPE '\\')`),
      purgeOrders: p(`DELETE FROM orders WHERE user_id IN (SELECT id FROM users WHERE email LIKE ? ESCAPE '\\')`),
      saveRun: p(`INSERT INTO load_runs (id, started_at, run) VALUES (@id, @startedAt, @run)
        ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, run = excluded.run`),
      listRuns: p('SELECT * FROM load_runs ORDER BY started_at DESC, id DESC LIMIT ?'),
    };
    this.bulkTx = db.transaction((orders: Order[], messages: NewOutboxMessage[]) => {
      // Generated orders share a handful of search texts; look each up once per chunk (never across
      // transactions, so a rolled-back text id cannot outlive its rollback).
      const textIds = new Map<string, number>();
      const searchId = (o: Order) => {
        const text = itemsText(o);
        const key = `${o.username}\u0000${text}`;
        let id = textIds.get(key);
        if (id === undefined) textIds.set(key, (id = search.textId(text, o.username)));
        return id;
      };
      for (let i = 0; i < orders.length; i += ORDER_ROWS) {
        const slice = orders.slice(i, i + ORDER_ROWS);
        this.insertOrderRows(slice.length).run(slice.flatMap((o) => orderValues(o, null, '', searchId(o))));
      }
      outbox.insertMany(messages);
    });
    this.purgeTx = db.transaction((pattern: string) => {
      this.stmt.purgeOutbox.run(pattern);
      return this.stmt.purgeOrders.run(pattern).changes;
    });
  }

  async bulkInsertOrders(orders: Order[], outbox: NewOutboxMessage[]): Promise<void> {
    this.bulkTx.immediate(orders, outbox);
  }

  async purgeOrdersOfEmailDomain(domain: string): Promise<number> {
    return this.purgeTx.immediate(likeSuffix(domain));
  }

  async saveLoadRun(record: LoadRunRecord): Promise<void> {
    this.stmt.saveRun.run({ id: record.id, startedAt: record.startedAt.getTime(), run: JSON.stringify(record.run) });
  }

  async listLoadRuns(limit: number): Promise<LoadRunRecord[]> {
    const rows = this.stmt.listRuns.all(limit) as { id: string; started_at: number; run: string }[];
    return rows.map((r) => ({ id: r.id, startedAt: new Date(r.started_at), run: LoadRunDto.parse(JSON.parse(r.run)) }));
  }
}
