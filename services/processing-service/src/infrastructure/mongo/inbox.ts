import { Schema } from 'mongoose';
import type { Priority } from '@oms/contracts';
import type { InboxEntry, InboxState } from '../../application/ports';

/** One inbox row per event id (_id), which is what makes redelivery do no work twice. */
export interface InboxDoc {
  _id: string;
  orderId: string;
  priority: Priority;
  state: InboxState;
  receivedAt: Date;
  emailMessageId: string | null;
  emailedAt: Date | null;
  completedAt: Date | null;
  note: string | null;
  failureReason: string | null;
  attempts: number;
  /** PROCESSING events written for this row; absent until the first. */
  announcements?: number;
}

export const toInboxEntry = (d: InboxDoc): InboxEntry => ({
  eventId: d._id,
  orderId: d.orderId,
  priority: d.priority,
  state: d.state,
  receivedAt: d.receivedAt,
  emailMessageId: d.emailMessageId ?? null,
  emailedAt: d.emailedAt ?? null,
  completedAt: d.completedAt ?? null,
  note: d.note ?? null,
  failureReason: d.failureReason ?? null,
  attempts: d.attempts,
});

/** Fields written only when the first delivery inserts the row ($setOnInsert); attempts is $inc'ed. */
export const firstDeliveryFields = (
  e: Pick<InboxEntry, 'orderId' | 'priority' | 'receivedAt' | 'note'>,
): Omit<InboxDoc, '_id' | 'attempts'> => ({
  orderId: e.orderId,
  priority: e.priority,
  state: 'processing',
  receivedAt: e.receivedAt,
  emailMessageId: null,
  emailedAt: null,
  completedAt: null,
  note: e.note,
  failureReason: null,
});

export const inboxSchema = new Schema<InboxDoc>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    priority: { type: String, enum: ['VIP', 'NORMAL'], required: true },
    state: { type: String, enum: ['processing', 'emailed', 'done', 'failed'], required: true },
    receivedAt: { type: Date, required: true },
    emailMessageId: { type: String, default: null },
    emailedAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    note: { type: String, default: null },
    failureReason: { type: String, default: null },
    attempts: { type: Number, required: true },
    announcements: { type: Number },
  },
  { versionKey: false, strictQuery: 'throw' },
);
inboxSchema.index({ orderId: 1 }, { name: 'inbox_order' });
