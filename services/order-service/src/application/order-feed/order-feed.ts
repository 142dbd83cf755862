import type { OrderEvent, OrderEventLog } from './order-events';
import { overrideMethods } from '../shared/override-methods';
import type { OrderRepository } from '../orders/ports';

export type OrderEventListener = (event: OrderEvent) => void;

export interface OrderFeedOptions {
  /** How often the feed is read when nothing woke it sooner. */
  pollMs: number;
  /** Events read per query. */
  batch: number;
  /** Events older than this are pruned. */
  retentionMs: number;
  onError: (err: unknown, what: string) => void;
}

const PRUNE_EVERY_MS = 60_000;

/**
 * Tails the order change feed for this replica and hands each event, in sequence order and once, to
 * every subscriber (the SSE streams, load runs). Every replica tails the same feed, so a stream on
 * one shows the orders placed and processed through all of them. Polling is one indexed range read
 * from the last sequence seen, O(new events); with no subscriber it only reads the newest sequence.
 * A commit on this replica wakes the tailer at once (withFeedNudges), so its own changes show
 * without the poll delay; another replica's show within `pollMs`.
 */
export class OrderFeed {
  private seen = 0;
  private readonly listeners = new Set<OrderEventListener>();
  private running: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly log: OrderEventLog,
    private readonly opts: OrderFeedOptions,
  ) {}

  /** Starts from the newest event: subscribers get what follows (and replay reads the rest from the log). */
  async start(): Promise<void> {
    this.seen = await this.log.lastOrderEventSeq();
    this.timers = [setInterval(() => this.nudge(), this.opts.pollMs), setInterval(() => void this.prune(), PRUNE_EVERY_MS)];
    for (const t of this.timers) t.unref();
    this.unwatch = this.log.watchOrderEvents?.(
      () => this.nudge(),
      (err) => this.opts.onError(err, 'order feed watch failed; polling only'),
    );
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unwatch?.();
    await this.running;
  }

  /** The sequence of the last event handed out: a subscriber added now gets every later one. */
  position(): number {
    return this.seen;
  }

  /** Synchronous: every event after position() at the time of the call reaches the listener. */
  subscribe(listener: OrderEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the feed now (after a local commit); a read already running goes round once more. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.readNew();
      } while (this.again);
    } catch (err) {
      this.opts.onError(err, 'reading the order feed failed; retrying at the next poll');
    }
  }

  private async readNew(): Promise<void> {
    if (this.listeners.size === 0) {
      const last = await this.log.lastOrderEventSeq();
      // A subscriber that came during the read was promised everything after `seen`.
      if (this.listeners.size === 0) this.seen = Math.max(this.seen, last);
      return;
    }
    for (;;) {
      const page = await this.log.readOrderEvents(this.seen, this.opts.batch);
      for (const event of page.events) {
        this.seen = event.seq;
        this.dispatch(event);
      }
      this.seen = Math.max(this.seen, page.upTo);
      if (!page.more) return;
    }
  }

  private dispatch(event: OrderEvent): void {
    for (const listener of this.listeners) {
      // One broken subscriber must not keep the event from the others.
      try {
        listener(event);
      } catch (err) {
        this.opts.onError(err, 'live order update listener failed');
      }
    }
  }

  private async prune(): Promise<void> {
    const before = new Date(Date.now() - this.opts.retentionMs);
    try {
      // Batches, so one prune never holds the write lock for long.
      while ((await this.log.pruneOrderEvents(before, 1000)) === 1000);
    } catch (err) {
      this.opts.onError(err, 'pruning the order feed failed');
    }
  }
}

/** The store with every committed order change waking this replica's feed. */
export function withFeedNudges<S extends OrderRepository>(store: S, feed: Pick<OrderFeed, 'nudge'>): S {
  const overrides: Partial<OrderRepository> = {
    async placeOrder(req) {
      const result = await store.placeOrder(req);
      if (result.kind === 'created') feed.nudge();
      return result;
    },
    async applyStatusChange(change) {
      const updated = await store.applyStatusChange(change);
      if (updated) feed.nudge();
      return updated;
    },
    async applyStatusChanges(changes) {
      const updated = await store.applyStatusChanges(changes);
      if (updated.some((o) => o !== null)) feed.nudge();
      return updated;
    },
    async deleteOrder(id) {
      const deleted = await store.deleteOrder(id);
      if (deleted) feed.nudge();
      return deleted;
    },
  };
  return overrideMethods(store, overrides as Partial<S>);
}
