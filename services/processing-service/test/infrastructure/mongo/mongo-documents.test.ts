import { firstDeliveryFields, toInboxEntry, type InboxDoc } from '../../../src/infrastructure/mongo/inbox';

// Pure tests of the MongoDB adapter's mapping code; the adapter itself runs in mongo.test.ts against a real server.

const at = new Date('2026-01-02T03:04:05.678Z');

describe('inbox documents', () => {
  const first = { eventId: 'e1', orderId: 'o1', priority: 'VIP' as const, receivedAt: at, note: 'sent with priority' };

  it('writes a first delivery in state processing with nothing else recorded yet', () => {
    expect(firstDeliveryFields(first)).toEqual({
      orderId: 'o1',
      priority: 'VIP',
      state: 'processing',
      receivedAt: at,
      emailMessageId: null,
      emailedAt: null,
      completedAt: null,
      note: 'sent with priority',
      failureReason: null,
    });
  });

  it('maps the stored row to the port entry, event id from _id', () => {
    const doc: InboxDoc = { _id: 'e1', ...firstDeliveryFields(first), attempts: 1 };
    expect(toInboxEntry(doc)).toEqual({
      eventId: 'e1',
      orderId: 'o1',
      priority: 'VIP',
      state: 'processing',
      receivedAt: at,
      emailMessageId: null,
      emailedAt: null,
      completedAt: null,
      note: 'sent with priority',
      failureReason: null,
      attempts: 1,
    });
  });

  it('reads missing optional fields as null', () => {
    const sparse = { _id: 'e1', orderId: 'o1', priority: 'NORMAL', state: 'done', receivedAt: at, attempts: 2 } as InboxDoc;
    expect(toInboxEntry(sparse)).toMatchObject({
      emailMessageId: null,
      emailedAt: null,
      completedAt: null,
      note: null,
      failureReason: null,
    });
  });
});
