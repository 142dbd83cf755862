import cron, { type ScheduledTask } from 'node-cron';
import { backoffDelay, type Logger } from '@oms/platform';
import type { OutboxPublisher, OutboxStore, PublishFailure } from './types';

export interface RelayOptions {
  store: OutboxStore;
  publisher: OutboxPublisher;
  /** node-cron expression with seconds, e.g. "* * * * * *" = every second. */
  cron: string;
  batchSize: number;
  maxAttempts: number;
  leaseMs: number;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Called after each published batch (metrics hook). */
  onPublished?: (count: number, ages: number[]) => void;
  /**
   * Wait this long before each drain pass, so the commits of a busy moment share one claim and
   * one SendMessageBatch instead of a pass each (default 0: publish at once).
   */
  lingerMs?: number;
  /**
   * Holds publishing back while the destination queues hold maxQueueDepth messages or more, so a
   * backlog waits in the database rather than in the broker's memory (an embedded broker keeps
   * every message in RAM). Publishing resumes on the next cron tick or nudge once consumers made room.
   */
  backpressure?: { maxQueueDepth: number; queueDepth: () => Promise<number> };
}

/** While the queues are full, their depth is asked at most this often (nudges come with every commit). */
const DEPTH_RECHECK_MS = 200;

/**
 * Moves committed outbox rows to the queue. Runs on a cron tick and on nudge() right after a
 * commit; one drain at a time per process, and leases keep replicas apart.
 */
export class OutboxRelay {
  private task: ScheduledTask | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Consecutive batches that could not reach the broker; spaces out retries during an outage. */
  private outagePasses = 0;
  private get brokerDown(): boolean {
    return this.outagePasses > 0;
  }
  /** Upper bound of the destination queues' depth: the last measure plus what was published since. */
  private depthBound = 0;
  private depthMeasuredAt = 0;

  constructor(private readonly opts: RelayOptions) {}

  start(): void {
    this.stopped = false;
    this.task = cron.schedule(this.opts.cron, () => this.nudge(), { noOverlap: true });
    this.nudge();
  }

  /** Ask for a drain soon; coalesces bursts of commits into one drain loop. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Drains until the outbox has nothing claimable; resolves when idle. */
  async drain(): Promise<void> {
    this.nudge();
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.task?.stop();
    this.task = null;
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (this.opts.lingerMs) await new Promise((resolve) => setTimeout(resolve, this.opts.lingerMs));
      try {
        while (!this.stopped && (await this.hasRoom()) && (await this.publishOneBatch()) === this.opts.batchSize && !this.brokerDown);
      } catch (err) {
        this.opts.log.error({ err }, 'outbox relay pass failed');
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** Whether one more batch fits below backpressure.maxQueueDepth; measures only when the bound says it may not. */
  private async hasRoom(): Promise<boolean> {
    const bp = this.opts.backpressure;
    const fits = () => this.depthBound + this.opts.batchSize <= bp!.maxQueueDepth;
    if (!bp || fits()) return true;
    if (Date.now() - this.depthMeasuredAt < DEPTH_RECHECK_MS) return false;
    try {
      this.depthBound = await bp.queueDepth();
      this.depthMeasuredAt = Date.now();
    } catch {
      return true; // an unreachable broker shows in the publish, which backs off
    }
    return fits();
  }

  /** Returns how many rows it claimed. */
  async publishOneBatch(): Promise<number> {
    const { store, publisher, batchSize, leaseMs, maxAttempts } = this.opts;
    const now = new Date();
    const batch = await store.claimOutboxBatch({ limit: batchSize, now, leaseUntil: new Date(now.getTime() + leaseMs) });
    if (batch.length === 0) return 0;
    let result;
    try {
      result = await publisher.publish(batch);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      result = { published: [], failed: batch.map((m) => ({ id: m.id, error, unavailable: false })) };
    }
    const sentAt = new Date();
    if (result.published.length) {
      this.depthBound += result.published.length;
      await store.markOutboxPublished(result.published, sentAt);
      const ages = batch.filter((m) => result.published.includes(m.id)).map((m) => sentAt.getTime() - m.occurredAt.getTime());
      this.opts.onPublished?.(result.published.length, ages);
    }
    const unreachable = result.failed.length > 0 && result.failed.every((f) => f.unavailable);
    this.outagePasses = unreachable ? this.outagePasses + 1 : 0;
    if (result.failed.length) {
      const attemptsById = new Map(batch.map((m) => [m.id, m.attempts + 1]));
      const failures: PublishFailure[] = result.failed.map(({ id, error, unavailable }) => {
        // An outage retries forever at a capped pace; only failures of the message itself use up attempts.
        if (unavailable) {
          return {
            id,
            error,
            countsAsAttempt: false,
            nextAttemptAt: new Date(sentAt.getTime() + backoffDelay(this.outagePasses, { base: 500, cap: 10_000 })),
          };
        }
        const attempt = attemptsById.get(id) ?? 1;
        return {
          id,
          error,
          countsAsAttempt: true,
          nextAttemptAt: attempt >= maxAttempts ? null : new Date(sentAt.getTime() + backoffDelay(attempt, { base: 500, cap: 60_000 })),
        };
      });
      await store.markOutboxFailed(failures);
      const msg = unreachable ? 'broker unreachable; outbox rows wait for it' : 'outbox publish failed; will retry';
      this.opts.log.warn({ failed: failures.length, error: failures[0]?.error }, msg);
    }
    return batch.length;
  }
}
