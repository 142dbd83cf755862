import type { Order } from './ports';

/**
 * Live order updates, published after the change committed. `order.deleted` carries the
 * order as it was, so a stream can tell whose it was; clients receive only its id.
 */
export type OrderEvent =
  | { type: 'order.created'; order: Order }
  | { type: 'order.status-changed'; order: Order }
  | { type: 'order.deleted'; order: Order };

export type OrderEventType = OrderEvent['type'];

/** What use cases need: somewhere to say that an order changed. */
export interface OrderEventPublisher {
  publish(event: OrderEvent): void;
}

/** An event as streamed: with its id, "<bus epoch>-<sequence>". */
export type SequencedOrderEvent = OrderEvent & { id: string };

export type OrderEventListener = (event: SequencedOrderEvent) => void;

/** Answer to a reconnect: the events it missed, or `gap` when they are no longer known. */
export type Replay = { kind: 'events'; events: SequencedOrderEvent[] } | { kind: 'gap' };

/**
 * In-process fan-out with a small replay ring for reconnects (Last-Event-ID). Ids are monotonic per
 * process and carry an epoch, so an id from before a restart is recognised as unknown (gap) instead of
 * being compared with the new sequence.
 *
 * With several order-service replicas each replica sees only its own commits and the status events
 * its own consumer took off the queue, so a stream shows only part of the picture. Acceptable for now;
 * the fix is a shared fan-out (e.g. an SNS topic or a MongoDB change stream feeding every replica).
 */
export class OrderEventBus implements OrderEventPublisher {
  readonly epoch: string;
  private seq = 0;
  private readonly ring: SequencedOrderEvent[] = [];
  private readonly listeners = new Set<OrderEventListener>();
  private readonly bufferSize: number;
  private readonly onListenerError: (err: unknown) => void;

  constructor(opts: { bufferSize: number; onListenerError?: (err: unknown) => void }) {
    this.bufferSize = opts.bufferSize;
    this.onListenerError = opts.onListenerError ?? (() => {});
    // Time-based, so a restarted process never reuses an epoch its clients may still quote.
    this.epoch = Date.now().toString(36);
  }

  publish(event: OrderEvent): void {
    const sequenced: SequencedOrderEvent = { ...event, id: `${this.epoch}-${++this.seq}` };
    this.ring.push(sequenced);
    if (this.ring.length > this.bufferSize) this.ring.shift();
    for (const listener of this.listeners) {
      // One broken subscriber must not keep the event from the others, nor fail the publisher.
      try {
        listener(sequenced);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  /** Synchronous: every event published after this returns reaches the listener. */
  subscribe(listener: OrderEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The id of the newest event (or the epoch's zero position), for a client to resume from. */
  lastId(): string {
    return `${this.epoch}-${this.seq}`;
  }

  /** The events after `lastEventId`; a gap when the id is foreign, from another epoch, or older than the ring. */
  since(lastEventId: string): Replay {
    const match = /^([0-9a-z]+)-(\d{1,15})$/.exec(lastEventId);
    if (!match || match[1] !== this.epoch) return { kind: 'gap' };
    const after = Number(match[2]);
    if (after > this.seq) return { kind: 'gap' };
    const oldest = this.seq - this.ring.length + 1;
    if (after < oldest - 1) return { kind: 'gap' };
    return { kind: 'events', events: this.ring.slice(after - oldest + 1) };
  }
}
