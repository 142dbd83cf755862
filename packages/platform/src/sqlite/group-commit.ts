import type { Database } from 'better-sqlite3';

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Group commit for SQLite (one per database): the writes that arrive in the same event-loop turn
 * run in ONE write transaction (BEGIN IMMEDIATE), each in its own savepoint, so a call that throws
 * rolls back only its own writes. A commit writes every page it touched to the WAL; consecutive orders share most
 * of theirs (the right edge of each b-tree), so one commit for a turn's worth of calls costs about
 * what one call's did. Every promise settles only after the commit that holds its writes: an
 * answer is never sent for data that is not durable (in WAL terms) yet.
 */
export class GroupCommit {
  private queue: { work: () => unknown; resolve: (r: unknown) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private readonly batch: { immediate(works: (() => unknown)[]): Settled<unknown>[] };

  constructor(private readonly db: Database) {
    // Called inside an open transaction, a better-sqlite3 transaction function is a savepoint.
    const one = db.transaction((work: () => unknown) => work());
    this.batch = db.transaction((works: (() => unknown)[]) => {
      const out: Settled<unknown>[] = [];
      for (const work of works) {
        try {
          out.push({ ok: true, value: one(work) });
        } catch (error) {
          // Some errors (I/O, disk full) make SQLite roll back the whole transaction: fail them all.
          if (!this.db.inTransaction) throw error;
          out.push({ ok: false, error });
        }
      }
      return out;
    });
  }

  /** Runs `work` (synchronous SQLite calls) in the next group transaction; settles after its commit. */
  run<R>(work: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (r: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.queue;
    this.queue = [];
    let results: Settled<unknown>[];
    try {
      results = this.batch.immediate(jobs.map((j) => j.work));
    } catch (error) {
      for (const j of jobs) j.reject(error);
      return;
    }
    results.forEach((r, i) => (r.ok ? jobs[i]!.resolve(r.value) : jobs[i]!.reject(r.error)));
  }
}
