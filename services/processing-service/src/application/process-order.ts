import { OrderStatusChangedEvent, QueueKey, parseEvent, type OrderPlacedEvent, type OrderStatus } from '@oms/contracts';
import { currentTraceparent, makeEvent } from '@oms/platform';
import type { NewOutboxMessage } from '@oms/outbox';
import { priorityNote } from '../domain/priority-note';
import { retryDelaySec } from './retry-delay';
import { classifySmtpFailure, type SmtpErrorLike } from '../domain/smtp-failure';
import type { ConfirmationEmail } from './confirmation-email';
import type { MailSender } from './mail';
import type { Log, ProcessingStore } from './ports';

export const SOURCE = 'processing-service';

/** What the consumer does with the queue message afterwards. */
export type Outcome =
  | { ack: true; result: 'processed' | 'failed' | 'duplicate' }
  | { ack: false; retryInSec: number; reason: 'invalid' | 'in-flight' | 'transient' | 'smtp-unavailable' | 'error' };

export interface MessageContext {
  messageId: string;
  /** ApproximateReceiveCount, 1 on first delivery. */
  receiveCount: number;
  log: Log;
}

export interface ProcessOrderDeps {
  store: ProcessingStore;
  mailer: MailSender;
  email: ConfirmationEmail;
  /** Called after each committed status event (relay nudge). */
  statusWritten: () => void;
  retry: { baseSec: number; maxSec: number };
  /**
   * The PROCESSING status event goes out only for an order still in hand after this long, or
   * waiting for a retry: most orders finish in milliseconds, and one status event instead of two
   * per order halves the status traffic. Final events carry startedAt either way. 0 = always.
   */
  processingStatusAfterMs: number;
  clock?: () => Date;
  /** Told about each order brought to PROCESSED or FAILED (metrics). */
  completed?: (info: { priority: OrderPlacedEvent['data']['priority']; status: 'PROCESSED' | 'FAILED'; processingTimeMs: number }) => void;
}

/**
 * The process-order use case: inbox-guarded, so a redelivered order.placed does no work twice.
 * inbox state on arrival -> action: none -> begin + email; processing -> (re)send the email
 * (we crashed between send and record); emailed -> complete only; done|failed -> ack.
 * PROCESSING is announced when the order is still in hand after processingStatusAfterMs or
 * leaves for a retry.
 */
export class OrderProcessor {
  /** Event ids being handled in this process; a duplicate delivered meanwhile waits its turn. */
  private readonly inFlight = new Set<string>();
  private readonly clock: () => Date;

  constructor(private readonly deps: ProcessOrderDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async handle(body: string | undefined, ctx: MessageContext): Promise<Outcome> {
    const parsed = parseEvent(body);
    if (!parsed.ok || parsed.event.type !== 'order.placed') {
      const error = parsed.ok ? `unexpected event type ${parsed.event.type}` : parsed.error;
      // Left on the queue: after the receive limit SQS moves it to the DLQ for an operator.
      ctx.log.warn({ messageId: ctx.messageId, receiveCount: ctx.receiveCount, error }, 'invalid message');
      return { ack: false, retryInSec: 0, reason: 'invalid' };
    }
    const event = parsed.event;
    const log = ctx.log.child({ eventId: event.id, orderId: event.data.orderId, messageId: ctx.messageId });
    const retryInSec = retryDelaySec(ctx.receiveCount, this.deps.retry.baseSec, this.deps.retry.maxSec);
    if (this.inFlight.has(event.id)) return { ack: false, retryInSec, reason: 'in-flight' };
    this.inFlight.add(event.id);
    try {
      return await this.process(event, log, retryInSec);
    } catch (err) {
      log.error({ err, retryInSec }, 'processing failed; will retry');
      return { ack: false, retryInSec, reason: 'error' };
    } finally {
      this.inFlight.delete(event.id);
    }
  }

  private async process(event: OrderPlacedEvent, log: Log, retryInSec: number): Promise<Outcome> {
    const { store, mailer, email } = this.deps;
    const order = event.data;
    const startedAt = this.clock();
    const begun = await store.beginProcessing({
      eventId: event.id,
      orderId: order.orderId,
      priority: order.priority,
      receivedAt: startedAt,
      note: priorityNote(order.priority),
    });
    const state = begun.entry.state;
    if (state === 'done' || state === 'failed') {
      log.info({ state }, 'duplicate delivery; already handled');
      return { ack: true, result: 'duplicate' };
    }
    // A holder, not a `let`: TypeScript would narrow a closure-assigned variable to its initial null.
    const announcement: { done: Promise<void> | null } = { done: null };
    const announce = () => (announcement.done ??= this.announceProcessing(event, startedAt, log));
    const timer = setTimeout(announce, this.deps.processingStatusAfterMs);
    try {
      if (state === 'processing') {
        try {
          const { messageId } = await mailer.send({ ...email.render(order), messageId: `<${event.id}@${SOURCE}>`, journalId: event.id });
          await store.recordEmailSent(event.id, messageId, this.clock());
        } catch (err) {
          if (!isSmtpError(err)) throw err;
          const kind = classifySmtpFailure(err);
          if (kind !== 'permanent') {
            log.warn({ err: err.message, code: err.code, kind, retryInSec }, 'email not sent; will retry');
            await announce();
            return { ack: false, retryInSec, reason: kind === 'unavailable' ? 'smtp-unavailable' : 'transient' };
          }
          const reason = `email rejected: ${err.message}`;
          await this.complete(event, startedAt, 'failed', reason);
          log.warn({ reason }, 'order failed');
          return { ack: true, result: 'failed' };
        }
      }
      await this.complete(event, startedAt, 'done', null);
      log.info({ note: priorityNote(order.priority) }, 'order processed');
      return { ack: true, result: 'processed' };
    } finally {
      clearTimeout(timer);
      await announcement.done; // never leaves a PROCESSING write running behind the outcome
    }
  }

  /** Never rejects: the status is informative, the order's processing goes on regardless. */
  private async announceProcessing(event: OrderPlacedEvent, startedAt: Date, log: Log): Promise<void> {
    try {
      if (await this.deps.store.announceProcessing(event.id, this.statusMessage(event, 'PROCESSING', startedAt))) this.deps.statusWritten();
    } catch (err) {
      log.warn({ err }, 'could not record the PROCESSING status');
    }
  }

  private async complete(event: OrderPlacedEvent, startedAt: Date, state: 'done' | 'failed', failureReason: string | null) {
    const status = state === 'done' ? 'PROCESSED' : 'FAILED';
    const msg = this.statusMessage(event, status, startedAt, failureReason ?? undefined);
    await this.deps.store.completeProcessing(event.id, { state, at: msg.occurredAt, failureReason }, msg);
    this.deps.statusWritten();
    this.deps.completed?.({
      priority: event.data.priority,
      status,
      processingTimeMs: Math.max(0, msg.occurredAt.getTime() - Date.parse(event.data.placedAt)),
    });
  }

  /** PROCESSING is dated when processing began; the final statuses when they happen, with startedAt. */
  private statusMessage(event: OrderPlacedEvent, status: OrderStatus, startedAt: Date, reason?: string): NewOutboxMessage {
    const now = status === 'PROCESSING' ? startedAt : this.clock();
    const order = event.data;
    const statusEvent = OrderStatusChangedEvent.parse(
      makeEvent<OrderStatusChangedEvent>(
        'order.status-changed',
        {
          orderId: order.orderId,
          status,
          ...(reason ? { reason } : {}),
          processedAt: now.toISOString(),
          processingTimeMs: Math.max(0, now.getTime() - Date.parse(order.placedAt)),
          note: priorityNote(order.priority),
          ...(status === 'PROCESSING' ? {} : { startedAt: startedAt.toISOString() }),
        },
        SOURCE,
        now,
      ),
    );
    return {
      id: statusEvent.id,
      aggregateId: order.orderId,
      type: statusEvent.type,
      destination: QueueKey.orderStatus,
      payload: JSON.stringify(statusEvent),
      occurredAt: now,
      // The status event continues the order's trace back to the order service.
      traceparent: currentTraceparent(),
    };
  }
}

/**
 * nodemailer errors carry a string code (ECONNECTION, ESOCKET, EENVELOPE...) and/or an SMTP
 * reply code. Duck-typed: socket errors come from Node core, so `instanceof Error` is not reliable
 * across realms (jest's VM).
 */
function isSmtpError(err: unknown): err is Error & SmtpErrorLike {
  if (typeof err !== 'object' || err === null || typeof (err as Error).message !== 'string') return false;
  const e = err as SmtpErrorLike;
  return typeof e.responseCode === 'number' || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code));
}
