import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { costlyPlanSteps, statementLog } from '@oms/platform/sqlite';
import { SqliteOutbox } from '../src/sqlite';
import { describeOutboxContract } from './outbox.contract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-outbox-sqlite-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

function openFile(): { db: Database.Database; outbox: SqliteOutbox } {
  const db = new Database(path.join(dir, `outbox-${++n}.sqlite`));
  db.pragma('journal_mode = WAL');
  return { db, outbox: new SqliteOutbox(db) };
}

describeOutboxContract('SQLite', async () => {
  const { db, outbox } = openFile();
  return {
    outbox,
    insert: async (m) => db.transaction(() => outbox.insert(m))(),
    deleteUnpublished: async (aggregateId) => db.transaction(() => outbox.deleteUnpublished(aggregateId))(),
    close: async () => void db.close(),
  };
});

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('SqliteOutbox specifics', () => {
  const message = { id: 'e1', aggregateId: 'o1', type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: new Date(0) };

  it("rolls its insert back with the caller's transaction", async () => {
    const { db, outbox } = openFile();
    const placeOrder = db.transaction(() => {
      outbox.insert(message);
      throw new Error('stock shortfall');
    });
    expect(() => placeOrder()).toThrow('stock shortfall');
    expect(await outbox.listOutbox({ status: 'pending', limit: 10 })).toEqual([]);
    db.close();
  });

  it('opens a file whose outbox table an earlier service schema made, and keeps its rows', async () => {
    const file = path.join(dir, 'legacy.sqlite');
    const legacy = new Database(file);
    // The order service's own schema before the outbox moved here: no CHECK, other claim index.
    legacy.exec(`
      CREATE TABLE outbox (id TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, type TEXT NOT NULL,
        destination TEXT NOT NULL, payload TEXT NOT NULL, occurred_at INTEGER NOT NULL, status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, locked_until INTEGER,
        published_at INTEGER, last_error TEXT);
      CREATE INDEX outbox_claim ON outbox(status, next_attempt_at);
      INSERT INTO outbox (id, aggregate_id, type, destination, payload, occurred_at, status, attempts, next_attempt_at)
        VALUES ('old', 'o0', 'order.placed', 'orders', '{}', 0, 'pending', 0, 0);`);
    legacy.close();

    for (let open = 0; open < 2; open++) {
      const db = new Database(file);
      const outbox = new SqliteOutbox(db);
      if (open === 0) outbox.insert({ ...message, occurredAt: new Date(1), traceparent: TRACEPARENT });
      // The trace context column is added at open; the rows written before it have none.
      expect((await outbox.listOutbox({ status: 'pending', limit: 10 })).map((m) => [m.id, m.traceparent])).toEqual([
        ['old', null],
        ['e1', TRACEPARENT],
      ]);
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL").all();
      expect(indexes).toEqual(expect.arrayContaining([{ name: 'outbox_claim_order' }, { name: 'outbox_status_age' }]));
      expect(indexes).not.toContainEqual({ name: 'outbox_claim' });
      expect(indexes).not.toContainEqual({ name: 'outbox_claimable' });
      // The counters start from the rows the file already had.
      expect(await outbox.outboxStats(new Date(1))).toMatchObject({ pending: 2, failed: 0 });
      db.close();
    }
  });

  it('bulk-inserts rows with their trace context', async () => {
    const { db, outbox } = openFile();
    db.transaction(() =>
      outbox.insertMany([
        { ...message, id: 'a', traceparent: TRACEPARENT },
        { ...message, id: 'b' },
      ]),
    )();
    expect((await outbox.listOutbox({ status: 'pending', limit: 10 })).map((m) => [m.id, m.traceparent])).toEqual([
      ['a', TRACEPARENT],
      ['b', null],
    ]);
    db.close();
  });
});

describe('SqliteOutbox hot queries cost O(batch), not O(backlog)', () => {
  it('claims, publishes, backs off and reports statistics without a full scan, a sort of the backlog or a COUNT', async () => {
    const log = statementLog();
    const db = new Database(path.join(dir, 'plans.sqlite'), { verbose: log.verbose });
    db.pragma('journal_mode = WAL');
    const outbox = new SqliteOutbox(db);
    // A backlog big enough that a planner preferring a scan would show it: VIP and normal rows, due and backing off.
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      id: `e${i}`,
      aggregateId: `o${i}`,
      type: 'order.placed',
      destination: i % 10 === 0 ? 'orders-priority' : 'orders',
      payload: '{}',
      occurredAt: new Date(i),
      priority: i % 10 === 0,
    }));
    db.transaction(() => outbox.insertMany(rows))();
    const now = new Date(1_000_000);
    const lease = { now, leaseUntil: new Date(now.getTime() + 30_000) };
    const backedOff = await outbox.claimOutboxBatch({ ...lease, limit: 50 });
    await outbox.markOutboxFailed(
      backedOff.map((m) => ({ id: m.id, error: 'x', nextAttemptAt: new Date(2_000_000), countsAsAttempt: false })),
    );
    await outbox.markOutboxFailed([{ id: 'e5', error: 'poison', nextAttemptAt: null, countsAsAttempt: true }]);
    log.take();

    const batch = await outbox.claimOutboxBatch({ ...lease, limit: 100 });
    await outbox.markOutboxPublished(
      batch.slice(0, 90).map((m) => m.id),
      now,
    );
    await outbox.markOutboxFailed(
      batch.slice(90).map((m) => ({ id: m.id, error: 'x', nextAttemptAt: new Date(2_000_000), countsAsAttempt: true })),
    );
    const stats = await outbox.outboxStats(now);
    const statements = log.take();

    expect(statements.length).toBeGreaterThanOrEqual(4);
    expect(statements.flatMap((sql) => costlyPlanSteps(db, sql, ['outbox']))).toEqual([]);
    expect(batch.every((m) => m.priority)).toBe(true);
    expect(stats).toEqual({ pending: 20_000 - 90 - 1, failed: 1, oldestPendingAgeMs: now.getTime() });
    db.close();
  }, 60_000);
});
