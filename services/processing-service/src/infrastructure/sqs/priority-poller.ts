import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { backoffDelay } from '@oms/platform';
import type { Log } from '../../application/ports';

export interface PolledQueue {
  name: string;
  url: string;
}

/** What to do with a handled message: delete it, or let it reappear after retryInSec. */
export type Disposition = { ack: true } | { ack: false; retryInSec: number };

export interface PollerOptions {
  sqs: SQSClient;
  /** Highest priority first. */
  queues: PolledQueue[];
  /** Messages in flight across all queues. */
  concurrency: number;
  batchSize: number;
  visibilityTimeoutSec: number;
  /** When every queue is empty, long-poll all of them at once for up to this long. */
  idleWaitSec: number;
  handle(message: Message, queue: PolledQueue): Promise<Disposition>;
  /** Awaited before each receive; used to pause while SMTP is down. */
  beforeReceive?(): Promise<void>;
  log: Log;
}

const DELETE_BATCH_LIMIT = 10;

/**
 * A small receive loop instead of sqs-consumer: sqs-consumer runs one independent poll loop
 * per queue and handles one batch at a time, so it can neither keep `orders` untouched while
 * `orders-priority` has visible messages nor keep N messages in flight across two queues.
 *
 * Busy: each receive asks the queues in priority order (short poll) for as many messages as
 * there are free slots and takes the first non-empty answer, so a lower queue is read only when
 * every higher one came back empty; from then on a long poll watches that higher queue (it
 * answers as soon as something lands there) instead of an empty short poll per batch. Idle (all
 * empty): every queue is long-polled at once, so an order on any queue is seen as soon as it
 * lands (long-polling only the top queue left a normal order waiting up to idleWaitSec). A long poll that answers while a higher queue has work is
 * held back ("parked") until that queue is empty again, which keeps VIP-first strict.
 * Acks are deleted in batches of up to 10 per queue.
 */
export class PriorityPoller {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private readonly tasks = new Set<Promise<void>>();
  private slotFreed: (() => void) | null = null;
  private readonly pendingAcks = new Map<string, Message[]>();
  private ackTimer: NodeJS.Timeout | null = null;
  private readonly ackFlushes = new Set<Promise<void>>();
  /** Long polls out right now, per queue url. */
  private readonly longPolls = new Map<string, Promise<void>>();
  /** Messages long polls brought back that wait for their turn (once stop has begun: to be released), per queue url. */
  private readonly parked = new Map<string, Message[]>();

  constructor(private readonly opts: PollerOptions) {}

  start(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Stops receiving, finishes the messages in hand (their deletes are sent), hands back what was
   * received but not started (visible again at once), then resolves: no message received is left
   * to wait out its visibility timeout.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort(); // backoff sleeps only: receives are waited out (see receive)
    this.slotFreed?.();
    await this.loopDone;
    await Promise.all([...this.tasks, ...this.longPolls.values()]);
    await this.releaseParked();
    this.flushAcks();
    await Promise.all(this.ackFlushes);
  }

  get inFlight(): number {
    return this.tasks.size;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      await this.waitForFreeSlots();
      await this.opts.beforeReceive?.();
      if (!this.running) break;
      try {
        const got = await this.receiveByPriority(Math.min(this.opts.batchSize, this.opts.concurrency - this.tasks.size));
        failures = 0;
        if (got) this.takeIn(got.queue, got.messages);
      } catch (err) {
        if (!this.running) break;
        failures++;
        this.opts.log.warn({ err: (err as Error).message, failures }, 'SQS receive failed; backing off');
        await sleep(backoffDelay(failures, { base: 200, cap: 10_000 }), undefined, { signal: this.abort.signal }).catch(() => {});
      }
    }
  }

  /**
   * Waits for room for a whole batch: receiving as soon as one slot frees would mean one SDK
   * round trip (~0.3 ms of CPU) per message under load instead of one per ten.
   */
  private async waitForFreeSlots(): Promise<void> {
    const wanted = Math.min(this.opts.batchSize, this.opts.concurrency);
    while (this.running && this.opts.concurrency - this.tasks.size < wanted) {
      await new Promise<void>((resolve) => {
        this.slotFreed = resolve;
      });
    }
  }

  private async receiveByPriority(max: number): Promise<{ queue: PolledQueue; messages: Message[] } | null> {
    const last = this.opts.queues[this.opts.queues.length - 1];
    for (const queue of this.opts.queues) {
      if (!this.running) return null;
      const held = this.takeParked(queue, max);
      if (held.length) return { queue, messages: held };
      // A long poll is out on this queue: it answers as soon as something lands there.
      if (this.longPolls.has(queue.url)) continue;
      const messages = await this.receive(queue, max, 0);
      if (messages.length) return { queue, messages };
      // Half of all receives were these empty short polls while `orders` drained.
      if (queue !== last) this.longPolls.set(queue.url, this.longPoll(queue, max));
    }
    for (const queue of this.opts.queues) {
      if (!this.longPolls.has(queue.url)) this.longPolls.set(queue.url, this.longPoll(queue, max));
    }
    await Promise.race(this.longPolls.values());
    return null; // parked messages are taken in priority order on the next pass
  }

  /** Never rejects: a failed long poll is logged and the queue is looked at again on the next pass. */
  private async longPoll(queue: PolledQueue, max: number): Promise<void> {
    try {
      this.park(queue, await this.receive(queue, max, this.opts.idleWaitSec));
    } catch (err) {
      if (this.running) {
        this.opts.log.warn({ err: (err as Error).message, queue: queue.name }, 'SQS long poll failed');
        await sleep(backoffDelay(1, { base: 200, cap: 10_000 }), undefined, { signal: this.abort.signal }).catch(() => {});
      }
    } finally {
      this.longPolls.delete(queue.url);
    }
  }

  /** Starts what a receive brought; once stop has begun it is parked instead, to be released. */
  private takeIn(queue: PolledQueue, messages: Message[]): void {
    if (this.running) for (const message of messages) this.dispatch(message, queue);
    else this.park(queue, messages);
  }

  private park(queue: PolledQueue, messages: Message[]): void {
    if (messages.length) this.parked.set(queue.url, [...(this.parked.get(queue.url) ?? []), ...messages]);
  }

  private takeParked(queue: PolledQueue, max: number): Message[] {
    const held = this.parked.get(queue.url);
    if (!held?.length) return [];
    const taken = held.splice(0, max);
    if (held.length === 0) this.parked.delete(queue.url);
    return taken;
  }

  /** At stop, parked messages go straight back to their queue instead of waiting out the visibility timeout. */
  private async releaseParked(): Promise<void> {
    const releases: Promise<unknown>[] = [];
    for (const queue of this.opts.queues) {
      for (const message of this.parked.get(queue.url) ?? []) {
        releases.push(
          this.opts.sqs
            .send(new ChangeMessageVisibilityCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }))
            .catch((err: unknown) =>
              this.opts.log.warn(
                { err: (err as Error).message, messageId: message.MessageId },
                'could not release a message; it returns after its visibility timeout',
              ),
            ),
        );
      }
    }
    this.parked.clear();
    await Promise.all(releases);
  }

  /**
   * Never aborted, short polls included: a receive the server already answered would strand its
   * messages until the visibility timeout. stop() waits receives out (one round trip, idleWaitSec
   * at most for a long poll) and hands what they bring straight back to the queue.
   */
  private async receive(queue: PolledQueue, max: number, waitSec: number): Promise<Message[]> {
    const res = await this.opts.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSec,
        VisibilityTimeout: this.opts.visibilityTimeoutSec,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        MessageAttributeNames: ['traceparent'],
      }),
    );
    return res.Messages ?? [];
  }

  private dispatch(message: Message, queue: PolledQueue): void {
    const task = this.run(message, queue).finally(() => {
      this.tasks.delete(task);
      const wake = this.slotFreed;
      this.slotFreed = null;
      wake?.();
    });
    this.tasks.add(task);
  }

  private async run(message: Message, queue: PolledQueue): Promise<void> {
    let disposition: Disposition;
    try {
      disposition = await this.opts.handle(message, queue);
    } catch (err) {
      // The handler is not supposed to throw; if it does, the visibility timeout brings it back.
      this.opts.log.error({ err, messageId: message.MessageId, queue: queue.name }, 'message handler threw');
      return;
    }
    if (disposition.ack) return this.ack(message, queue);
    try {
      await this.opts.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: disposition.retryInSec,
        }),
      );
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message, messageId: message.MessageId }, 'could not change visibility');
    }
  }

  private ack(message: Message, queue: PolledQueue): void {
    const list = this.pendingAcks.get(queue.url) ?? [];
    list.push(message);
    this.pendingAcks.set(queue.url, list);
    if (list.length >= DELETE_BATCH_LIMIT) this.flushAcks();
    // A short linger lets concurrent completions share one DeleteMessageBatch call.
    else this.ackTimer ??= setTimeout(() => this.flushAcks(), 20);
  }

  private flushAcks(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    for (const [url, messages] of this.pendingAcks) {
      for (let i = 0; i < messages.length; i += DELETE_BATCH_LIMIT) {
        const flush = this.deleteBatch(url, messages.slice(i, i + DELETE_BATCH_LIMIT)).finally(() => this.ackFlushes.delete(flush));
        this.ackFlushes.add(flush);
      }
    }
    this.pendingAcks.clear();
  }

  private async deleteBatch(url: string, messages: Message[]): Promise<void> {
    try {
      const res = await this.opts.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      for (const failed of res.Failed ?? []) {
        const messageId = messages[Number(failed.Id)]?.MessageId;
        this.opts.log.warn({ messageId, code: failed.Code, error: failed.Message }, 'delete failed; message will be redelivered');
      }
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message, count: messages.length }, 'delete batch failed; messages will be redelivered');
    }
  }
}
