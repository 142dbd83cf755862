import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommit } from '../src/sqlite';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
  db = new Database(path.join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE stock (id TEXT PRIMARY KEY, n INTEGER NOT NULL); CREATE TABLE taken (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL)',
  );
  db.prepare("INSERT INTO stock VALUES ('tea', 5)").run();
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Takes qty from stock and records it; throws (rolling back its own writes) when short. */
function take(qty: number): number {
  db.prepare('INSERT INTO taken (qty) VALUES (?)').run(qty);
  const { changes } = db.prepare("UPDATE stock SET n = n - ? WHERE id = 'tea' AND n >= ?").run(qty, qty);
  if (changes === 0) throw new Error(`short by ${qty}`);
  return (db.prepare("SELECT n FROM stock WHERE id = 'tea'").get() as { n: number }).n;
}

describe('GroupCommit', () => {
  it('runs the calls of one turn in one transaction, in order, each rolled back alone when it throws', async () => {
    const commits: number[] = [];
    const group = new GroupCommit(db);
    const run = (qty: number) =>
      group.run(() => {
        commits.push(qty);
        return take(qty);
      });
    const walBefore = fs.statSync(path.join(dir, 'db.sqlite-wal')).size;
    const results = await Promise.allSettled([2, 4, 3, 1].map(run));
    expect(results).toEqual([
      { status: 'fulfilled', value: 3 },
      { status: 'rejected', reason: expect.objectContaining({ message: 'short by 4' }) },
      { status: 'fulfilled', value: 0 },
      { status: 'rejected', reason: expect.objectContaining({ message: 'short by 1' }) },
    ]);
    expect(commits).toEqual([2, 4, 3, 1]);
    // The failed calls left nothing behind, the others everything.
    expect(db.prepare('SELECT qty FROM taken ORDER BY id').all()).toEqual([{ qty: 2 }, { qty: 3 }]);
    expect(db.inTransaction).toBe(false);
    expect(fs.statSync(path.join(dir, 'db.sqlite-wal')).size).toBeGreaterThan(walBefore);
  });

  it('writes the shared pages once per turn: four calls in one turn add a quarter of the WAL four turns do', async () => {
    const group = new GroupCommit(db);
    db.pragma('wal_autocheckpoint = 0'); // the WAL only grows, one frame per page per commit
    db.prepare("UPDATE stock SET n = 1000 WHERE id = 'tea'").run();
    const walGrowth = async (turns: number[][]) => {
      const before = fs.statSync(path.join(dir, 'db.sqlite-wal')).size;
      for (const calls of turns) await Promise.all(calls.map((q) => group.run(() => take(q))));
      return fs.statSync(path.join(dir, 'db.sqlite-wal')).size - before;
    };
    const oneTurn = await walGrowth([[1, 1, 1, 1]]);
    const fourTurns = await walGrowth([[1], [1], [1], [1]]);
    expect(oneTurn).toBeGreaterThan(0);
    expect(oneTurn * 4).toBe(fourTurns);
  });

  it('waits for a write lock another connection holds without freezing the event loop, then commits the calls that gathered meanwhile', async () => {
    // What the other, blocking statements of this connection wait. SQLite's busy handler inside
    // BEGIN would freeze the whole process this long: the timers below could not fire meanwhile.
    db.pragma('busy_timeout = 4000');
    const group = new GroupCommit(db);
    const other = new Database(path.join(dir, 'db.sqlite'));
    other.prepare('BEGIN IMMEDIATE').run(); // another process's write transaction
    try {
      const started = Date.now();
      const first = group.run(() => take(1));
      await new Promise((resolve) => setTimeout(resolve, 60));
      const second = group.run(() => take(1)); // arrives while the group waits: joins it
      await new Promise((resolve) => setTimeout(resolve, 20));
      // 80 ms of timers took far less than the 4 s a frozen process would have: not a tick count,
      // which a loaded CI machine can starve.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(db.prepare('SELECT count(*) AS n FROM taken').get()).toEqual({ n: 0 });
      other.prepare('COMMIT').run();
      await expect(Promise.all([first, second])).resolves.toEqual([4, 3]);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(4000);
    } finally {
      if (other.inTransaction) other.prepare('ROLLBACK').run();
      other.close();
    }
  });

  it('rejects every call of the turn when the write lock stays held past lockWaitMs', async () => {
    const group = new GroupCommit(db, 50);
    const other = new Database(path.join(dir, 'db.sqlite'));
    other.pragma('busy_timeout = 0');
    other.prepare('BEGIN IMMEDIATE').run(); // holds the write lock
    const started = Date.now();
    const results = await Promise.allSettled([group.run(() => take(1)), group.run(() => take(1))]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    other.prepare('ROLLBACK').run();
    other.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: { code: 'SQLITE_BUSY' } });
    expect(db.prepare('SELECT count(*) AS n FROM taken').get()).toEqual({ n: 0 });
  });
});
