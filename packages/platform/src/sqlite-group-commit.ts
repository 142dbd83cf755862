import type { Database } from 'better-sqlite3';

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Group commit for SQLite: the calls that arrive in the same event-loop turn run in ONE write
 * transaction (BEGIN IMMEDIATE), each in its own savepoint, so a call that throws rolls back only
 * its own writes. A commit writes every page it touched to the WAL; consecutive orders share most
 * of theirs (the right edge of each b-tree), so one commit for a turn's worth of calls costs about
 * what one call's did. Every promise settles only after the commit that holds its writes: an
 * answer is never sent for data that is not durable (in WAL terms) yet.
 */
export class GroupCommit<Req, Res> {
  private queue: { req: Req; resolve: (r: Res) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private readonly batch: { immediate(reqs: Req[]): Settled<Res>[] };

  constructor(
    private readonly db: Database,
    work: (req: Req) => Res,
  ) {
    // Called inside an open transaction, a better-sqlite3 transaction function is a savepoint.
    const one = db.transaction(work);
    this.batch = db.transaction((reqs: Req[]) => {
      const out: Settled<Res>[] = [];
      for (const req of reqs) {
        try {
          out.push({ ok: true, value: one(req) });
        } catch (error) {
          // Some errors (I/O, disk full) make SQLite roll back the whole transaction: fail them all.
          if (!this.db.inTransaction) throw error;
          out.push({ ok: false, error });
        }
      }
      return out;
    });
  }

  run(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.queue;
    this.queue = [];
    let results: Settled<Res>[];
    try {
      results = this.batch.immediate(jobs.map((j) => j.req));
    } catch (error) {
      for (const j of jobs) j.reject(error);
      return;
    }
    results.forEach((r, i) => (r.ok ? jobs[i]!.resolve(r.value) : jobs[i]!.reject(r.error)));
  }
}
