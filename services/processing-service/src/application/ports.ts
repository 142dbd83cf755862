/**
 * Storage port of the processing service. The inbox row (one per event id) is what makes a
 * redelivered message do no work twice; status events leave through this service's own outbox,
 * written in the same transaction as the inbox step they describe.
 */
import type { Priority } from '@oms/contracts';
import type { NewOutboxMessage, OutboxStore } from '@oms/outbox';
import type { Logger } from '@oms/platform';

export type InboxState = 'processing' | 'emailed' | 'done' | 'failed';

export interface InboxEntry {
  eventId: string;
  orderId: string;
  priority: Priority;
  state: InboxState;
  receivedAt: Date;
  emailMessageId: string | null;
  emailedAt: Date | null;
  completedAt: Date | null;
  /** "sent with priority" / "processed without priority". */
  note: string | null;
  failureReason: string | null;
  attempts: number;
}

export interface ProcessingStore extends OutboxStore {
  /**
   * First delivery: inserts the inbox row in state `processing` and returns { created: true }.
   * Redelivery: bumps attempts and returns the existing row with created: false.
   */
  beginProcessing(
    entry: Pick<InboxEntry, 'eventId' | 'orderId' | 'priority' | 'receivedAt' | 'note'>,
  ): Promise<{ created: boolean; entry: InboxEntry }>;
  /**
   * Writes the PROCESSING status event, but only while the row is still `processing` or
   * `emailed` (never after the final event); returns whether it was written.
   */
  announceProcessing(eventId: string, statusEvent: NewOutboxMessage): Promise<boolean>;
  /** Records the SMTP acceptance; from here on a redelivery never sends again. */
  recordEmailSent(eventId: string, messageId: string, at: Date): Promise<void>;
  /** Final state (done or failed) plus the final status event, in one transaction. */
  completeProcessing(
    eventId: string,
    outcome: { state: 'done' | 'failed'; at: Date; failureReason: string | null },
    statusEvent: NewOutboxMessage,
  ): Promise<void>;
  getInbox(eventId: string): Promise<InboxEntry | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The platform's Logger, under the name this service's modules import it by. */
export type Log = Logger;
