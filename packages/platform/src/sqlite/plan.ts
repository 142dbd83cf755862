import type { Database } from 'better-sqlite3';

/** Statements that only open, close or mark transactions: nothing to plan. */
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/**
 * What makes a statement cost O(rows stored) instead of O(rows it returns): a full scan of one of
 * `tables`, a sort of everything it read (a temp B-tree), or a COUNT over one of them. Returns the
 * offending plan lines (empty when none). `sql` is as better-sqlite3's `verbose` hook logs it,
 * parameters already filled in.
 */
export function costlyPlanSteps(db: Database, sql: string, tables: readonly string[]): string[] {
  if (TRANSACTION_CONTROL.test(sql)) return [];
  const steps = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);
  const names = tables.join('|');
  const fullScan = new RegExp(`^SCAN (${names})\\b(?!_)`);
  const costly = steps.filter((s) => fullScan.test(s) || s.includes('TEMP B-TREE'));
  const count = new RegExp(`\\bCOUNT\\s*\\([^;]*?\\bFROM\\s+(${names})\\b(?!_)`, 'is');
  const counted = count.exec(sql);
  if (counted) costly.push(`COUNT over ${counted[1]}: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
  return costly;
}

/** Records every statement a connection runs (pass as `new Database(file, { verbose })`). */
export function statementLog(): { verbose: (sql: unknown) => void; take(): string[] } {
  let sqls: string[] = [];
  return {
    verbose: (sql) => void sqls.push(String(sql)),
    take: () => {
      const taken = sqls;
      sqls = [];
      return taken;
    },
  };
}
