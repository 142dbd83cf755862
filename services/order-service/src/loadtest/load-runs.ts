import * as hdr from 'hdr-histogram-js';
import {
  priorityOf,
  type LoadRunDto,
  type LoadRunPhase,
  type OrderStatusChangedEvent,
  type Priority,
  type StartLoadRun,
} from '@oms/contracts';
import type { Logger } from '@oms/platform';
import { classifyHealth, etaMs, isActive, perSecond, recentRate, settlePhase, stopPhase } from './load-run';
import { newId } from '../application/shared/ids';
import { LOADGEN_EMAIL_DOMAIN } from '../application/identity/load-test-accounts';
import { BulkOrderFactory } from './bulk-orders';
import type { LoadTestableStore } from './ports';
import { ConflictError, NotFoundError } from '../application/shared/errors';
import type { OrderEvent } from '../application/order-feed/order-events';
import type { Order } from '../domain/order';

/** Orders per bulk transaction: big enough to amortise the commit, small enough to keep HTTP answering between chunks. */
export const BULK_CHUNK = 5_000;
/**
 * placed -> PROCESSED per run in an HDR histogram: constant memory and a constant-time percentile
 * per status answer however many orders the run has, to 3 significant digits.
 */
const latencyHistogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000, numberOfSignificantValueDigits: 3, autoResize: true });
const RATE_WINDOW_MS = 5_000;

export interface LoadRunDeps {
  store: LoadTestableStore;
  /** The order change feed (as the SSE streams read it): new orders and applied status changes on every replica. */
  events: { subscribe(listener: (event: OrderEvent) => void): () => void };
  taxRateBps: number;
  now: () => Date;
  /** Wakes the outbox relay once generated rows are committed. */
  nudgeRelay: () => void;
  /**
   * Holds the outbox relay while a bulk run writes (resolves once it is idle) and returns the
   * release: generation time is then the store's write time, and the relay
   * publishes the backlog right after instead of taking turns with every chunk.
   */
  holdRelay?: () => Promise<() => void>;
  /** Empties the order queues (reset). */
  purgeQueues: () => Promise<void>;
  log: Pick<Logger, 'info' | 'error'>;
}

interface Window {
  generated: number;
  processed: number;
  failed: number;
  start: number | null;
  end: number | null;
  firstStartedAt: number | null;
  lastStartedAt: number | null;
}

const emptyWindow = (): Window => ({
  generated: 0,
  processed: 0,
  failed: 0,
  start: null,
  end: null,
  firstStartedAt: null,
  lastStartedAt: null,
});

/** The mutable state of the run in progress; everything a status answer is computed from. */
interface Run {
  id: string;
  spec: StartLoadRun;
  phase: LoadRunPhase;
  startedAt: number;
  finishedAt: number | null;
  generationStart: number | null;
  generationEnd: number | null;
  windows: Record<Priority, Window>;
  latency: hdr.Histogram;
  progressAt: number;
  samples: { at: number; count: number }[];
  error: string | null;
  cancelled: boolean;
  unsubscribe: () => void;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Load runs, served by the order service itself: it owns the store the
 * bulk path writes and sees every applied status event, so it can measure the processing windows
 * without polling anything. A run counts every order created after it started: run it on a stack
 * without other traffic. One run at a time per process; the history is in the store.
 */
export class LoadRuns {
  private run: Run | null = null;

  constructor(private readonly deps: LoadRunDeps) {}

  async start(spec: StartLoadRun): Promise<LoadRunDto> {
    if (this.run && isActive(this.run.phase))
      throw new ConflictError('load-run-active', `load run ${this.run.id} is still ${this.run.phase}`);
    this.run?.unsubscribe();
    const now = this.deps.now().getTime();
    const run: Run = {
      id: newId(now),
      spec,
      phase: 'GENERATING',
      startedAt: now,
      finishedAt: null,
      generationStart: now,
      generationEnd: null,
      windows: { VIP: emptyWindow(), NORMAL: emptyWindow() },
      latency: latencyHistogram(),
      progressAt: now,
      samples: [],
      error: null,
      cancelled: false,
      unsubscribe: () => {},
    };
    run.unsubscribe = this.deps.events.subscribe((event) => this.observeCreated(run, event));
    this.run = run;
    await this.save(run);
    this.deps.log.info({ runId: run.id, mode: spec.mode, orders: spec.orders }, 'load run started');
    if (spec.mode === 'bulk') void this.generate(run);
    return this.status();
  }

  /** The current (or last) run; 404 when there has been none since the process started. */
  current(): LoadRunDto {
    if (!this.run) throw new NotFoundError('no-load-run', 'no load run has been started (see GET /api/admin/load-runs/history)');
    return this.status();
  }

  async cancel(): Promise<LoadRunDto> {
    const run = this.run;
    const next = run && stopPhase(run.phase, 'cancel');
    if (!run || !next) throw new ConflictError('load-run-not-active', 'there is no active load run to cancel');
    run.cancelled = true;
    await this.finish(run, next);
    return this.status();
  }

  /** Cancels an active run, wipes every generated order (and its outbox rows) and empties the order queues. */
  async reset(): Promise<{ ordersDeleted: number }> {
    if (this.run && isActive(this.run.phase)) await this.cancel();
    this.run?.unsubscribe();
    this.run = null;
    const ordersDeleted = await this.deps.store.loadTest.purgeOrdersOfEmailDomain(LOADGEN_EMAIL_DOMAIN);
    await this.deps.purgeQueues();
    this.deps.log.info({ ordersDeleted }, 'load test data reset');
    return { ordersDeleted };
  }

  async history(limit: number): Promise<LoadRunDto[]> {
    return (await this.deps.store.loadTest.listLoadRuns(limit)).map((r) => r.run);
  }

  private async generate(run: Run): Promise<void> {
    const { store } = this.deps;
    const release = await this.deps.holdRelay?.();
    try {
      const factory = await BulkOrderFactory.prepare(store, { taxRateBps: this.deps.taxRateBps, mix: run.spec.mix, now: this.deps.now() });
      for (let n = 0; n < run.spec.orders && !run.cancelled; n += BULK_CHUNK) {
        const count = Math.min(BULK_CHUNK, run.spec.orders - n);
        const { orders, outbox } = factory.chunk(n, count, this.deps.now());
        await store.loadTest.bulkInsertOrders(orders, outbox);
        for (const o of orders) run.windows[priorityOf(o.tier)].generated++;
        this.progressed(run);
        // Let HTTP requests in between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      this.deps.log.error({ err, runId: run.id }, 'load run generation failed');
      run.error = err instanceof Error ? err.message : String(err);
    } finally {
      release?.();
      this.deps.nudgeRelay();
    }
    if (run.error) {
      const next = stopPhase(run.phase, 'error');
      if (next) await this.finish(run, next);
    } else if (!run.cancelled) {
      this.settle(run);
    }
  }

  /** Api-mode runs count the orders shoppers place (bulk runs count their own writes). */
  private observeCreated(run: Run, event: OrderEvent): void {
    if (event.type !== 'order.created' || run.spec.mode !== 'api' || !this.counts(run, event.order)) return;
    run.windows[priorityOf(event.order.tier)].generated++;
    this.progressed(run);
    this.settle(run);
  }

  /**
   * Applied status events, from the order-status consumer. Times are the processing service's
   * (the event's processedAt): when an order began and when it completed, per priority.
   */
  observeStatus(applied: { event: OrderStatusChangedEvent; order: Order }[]): void {
    const run = this.run;
    if (!run) return;
    const now = this.deps.now().getTime();
    let progressed = false;
    for (const { event, order } of applied) {
      if (!this.counts(run, order)) continue;
      const w = run.windows[priorityOf(order.tier)];
      const at = Date.parse(event.data.processedAt);
      // PROCESSING is dated when processing began; final events repeat it as startedAt.
      const startedAt = order.status === 'PROCESSING' ? at : event.data.startedAt ? Date.parse(event.data.startedAt) : null;
      if (startedAt !== null) {
        w.firstStartedAt = w.firstStartedAt === null ? startedAt : Math.min(w.firstStartedAt, startedAt);
        w.lastStartedAt = w.lastStartedAt === null ? startedAt : Math.max(w.lastStartedAt, startedAt);
      }
      if (order.status !== 'PROCESSED' && order.status !== 'FAILED') continue;
      w.processed++;
      if (order.status === 'FAILED') w.failed++;
      w.start = w.start === null ? at : Math.min(w.start, at);
      w.end = w.end === null ? at : Math.max(w.end, at);
      if (order.status === 'PROCESSED') run.latency.recordValue(Math.max(0, Math.round(now - order.createdAt.getTime())));
      progressed = true;
    }
    if (!progressed) return;
    this.progressed(run);
    this.settle(run);
  }

  private counts(run: Run, order: Order): boolean {
    return isActive(run.phase) && order.createdAt.getTime() >= run.startedAt;
  }

  private progressed(run: Run): void {
    const now = this.deps.now().getTime();
    run.progressAt = now;
    const count = run.windows.VIP.processed + run.windows.NORMAL.processed;
    const last = run.samples[run.samples.length - 1];
    if (!last || now - last.at >= 250) {
      run.samples.push({ at: now, count });
      while (run.samples.length > 2 && now - run.samples[0]!.at > RATE_WINDOW_MS * 2) run.samples.shift();
    }
  }

  private settle(run: Run): void {
    const generated = run.windows.VIP.generated + run.windows.NORMAL.generated;
    if (run.generationEnd === null && generated >= run.spec.orders) run.generationEnd = this.deps.now().getTime();
    const next = settlePhase(run.phase, {
      target: run.spec.orders,
      until: run.spec.until,
      generated: { VIP: run.windows.VIP.generated, NORMAL: run.windows.NORMAL.generated },
      completed: { VIP: run.windows.VIP.processed, NORMAL: run.windows.NORMAL.processed },
    });
    if (next === run.phase) return;
    if (next === 'DONE') void this.finish(run, 'DONE');
    else run.phase = next;
  }

  private async finish(run: Run, phase: LoadRunPhase): Promise<void> {
    run.phase = phase;
    run.finishedAt = this.deps.now().getTime();
    run.unsubscribe();
    this.deps.log.info({ runId: run.id, phase }, 'load run finished');
    await this.save(run).catch((err: unknown) => this.deps.log.error({ err, runId: run.id }, 'could not save the load run'));
  }

  private save(run: Run): Promise<void> {
    return this.deps.store.loadTest.saveLoadRun({ id: run.id, startedAt: new Date(run.startedAt), run: this.snapshot(run) });
  }

  private status(): LoadRunDto {
    return this.snapshot(this.run!);
  }

  private snapshot(run: Run): LoadRunDto {
    const now = run.finishedAt ?? this.deps.now().getTime();
    const { VIP, NORMAL } = run.windows;
    const generated = VIP.generated + NORMAL.generated;
    const processed = VIP.processed + NORMAL.processed;
    const failed = VIP.failed + NORMAL.failed;
    const firstDone = VIP.start === null ? NORMAL.start : NORMAL.start === null ? VIP.start : Math.min(VIP.start, NORMAL.start);
    const average = firstDone === null ? null : perSecond(processed, Math.max(VIP.end ?? 0, NORMAL.end ?? 0) - firstDone);
    const recent = recentRate(run.samples, RATE_WINDOW_MS);
    // ETA of what the run waits for: generation first, then (until=processed) the processing.
    const generating = generated < run.spec.orders;
    const [remaining, rate] =
      generating || run.spec.until === 'generated'
        ? [run.spec.orders - generated, perSecond(generated, now - run.startedAt)]
        : [run.spec.orders - processed, recent ?? average];
    const genMs = run.generationEnd === null ? null : run.generationEnd - (run.generationStart ?? run.startedAt);
    const window = (w: Window) => ({
      generated: w.generated,
      processed: w.processed,
      failed: w.failed,
      start: iso(w.start),
      end: iso(w.end),
      durationMs: w.start === null || w.end === null ? null : w.end - w.start,
      firstStartedAt: iso(w.firstStartedAt),
      lastStartedAt: iso(w.lastStartedAt),
    });
    return {
      id: run.id,
      mode: run.spec.mode,
      until: run.spec.until,
      phase: run.phase,
      health: classifyHealth({
        phase: run.phase,
        completed: processed,
        failed,
        sinceProgressMs: now - run.progressAt,
        recentPerSec: recent,
        averagePerSec: average,
      }),
      mix: run.spec.mix,
      startedAt: new Date(run.startedAt).toISOString(),
      finishedAt: iso(run.finishedAt),
      progress: { target: run.spec.orders, generated, processed, failed },
      generation: {
        startedAt: iso(run.generationStart),
        endedAt: iso(run.generationEnd),
        durationMs: genMs,
        ordersPerSec: genMs === null ? null : perSecond(generated, genMs),
      },
      processing: { VIP: window(VIP), NORMAL: window(NORMAL) },
      vipDrainedFirst: VIP.lastStartedAt === null || NORMAL.firstStartedAt === null ? null : VIP.lastStartedAt <= NORMAL.firstStartedAt,
      throughput: { ordersPerSec: average, recentOrdersPerSec: recent },
      etaMs: isActive(run.phase) ? etaMs(remaining, rate) : 0,
      latency: {
        samples: run.latency.totalCount,
        p50Ms: run.latency.totalCount ? run.latency.getValueAtPercentile(50) : null,
        p99Ms: run.latency.totalCount ? run.latency.getValueAtPercentile(99) : null,
      },
      error: run.error,
    };
  }
}
