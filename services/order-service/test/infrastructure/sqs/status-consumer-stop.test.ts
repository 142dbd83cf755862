import { GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueKey, type OrderStatusChangedEvent } from '@oms/contracts';
import { makeEvent } from '@oms/platform';
import type { OrderServiceStore } from '../../../src/application/ports';
import type { OrderServiceQueues } from '../../../src/infrastructure/sqs/queues';
import { quiet, receiveAll, startSqsFixture, type SqsFixture } from './sqs-fixture';
import { createStatusConsumer, type StatusConsumer } from '../../../src/infrastructure/sqs/status-consumer';
import { adminLogin, bearer, createProduct, json, registerAndLogin, startHarness, type Harness } from '../../http/harness';

jest.setTimeout(40_000);

const SENT = 25; // more than one batch of 10: one batch is in hand at the stop, the rest never received

describe('order-status consumer stop() against a real fauxqs and the real SQLite store', () => {
  let fx: SqsFixture;
  let sqs: SQSClient;
  let queues: OrderServiceQueues;
  let h: Harness;
  let consumer: StatusConsumer | undefined;
  let openGate: () => void = () => {};

  beforeAll(async () => {
    fx = await startSqsFixture('order-status-stop');
    ({ sqs, queues } = fx);
    h = await startHarness({ env: { RATE_LIMIT_ORDERS_PER_MIN: '0', RATE_LIMIT_READS_PER_MIN: '0' } });
  });

  afterAll(async () => {
    openGate();
    await consumer?.stop();
    await h?.close();
    await fx?.stop();
  });

  it('applies and deletes the batch in hand, leaves every other message receivable at once, and stops in bounded time', async () => {
    const queueUrl = queues[QueueKey.orderStatus].url;
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: SENT });
    const shopper = await registerAndLogin(h.call);
    const orderIds: string[] = [];
    for (let i = 0; i < SENT; i++) {
      const placed = json(
        await h.call({
          method: 'POST',
          url: '/api/orders',
          headers: bearer(shopper.token),
          payload: { items: [{ productId: product.id, quantity: 1 }] },
        }),
      );
      orderIds.push(placed.id);
    }

    // One PROCESSED event per order, all on the queue before the consumer starts.
    const events = orderIds.map((orderId) =>
      makeEvent<OrderStatusChangedEvent>(
        'order.status-changed',
        { orderId, status: 'PROCESSED', processedAt: '2025-01-01T00:00:05.000Z', processingTimeMs: 42 },
        'processing-service',
      ),
    );
    for (let i = 0; i < events.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: events.slice(i, i + 10).map((e, j) => ({ Id: String(j), MessageBody: JSON.stringify(e) })),
        }),
      );
    }

    // The real store, with its batch apply held at a gate: the first batch is "in hand" until the stop has begun.
    let entered!: () => void;
    const batchInHand = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const store = new Proxy(h.store, {
      get(target, prop, receiver) {
        if (prop === 'applyStatusChanges') {
          return async (...args: Parameters<OrderServiceStore['applyStatusChanges']>) => {
            entered();
            await gate;
            return target.applyStatusChanges(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

    consumer = createStatusConsumer({ sqs, queueUrl, store, log: quiet });
    consumer.start();
    await batchInHand;

    const began = Date.now();
    const stopped = consumer.stop();
    openGate(); // the batch finishes only after the stop began
    await stopped;
    const stopMs = Date.now() - began;

    // (2) bounded stop
    expect(stopMs).toBeLessThan(12_000);

    // (1) Nothing in flight: what was received is either deleted (applied) or already visible again.
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );

    const applied = new Set<string>();
    for (const id of orderIds) if ((await h.store.getOrder(id))?.status === 'PROCESSED') applied.add(id);
    const receivable = (await receiveAll(sqs, queueUrl)).map((m) => (JSON.parse(m.Body!) as OrderStatusChangedEvent).data.orderId);

    expect(applied.size).toBeGreaterThan(0); // the batch in hand was applied, not dropped
    expect(receivable.filter((id) => applied.has(id))).toEqual([]); // none both applied and still on the queue
    expect(new Set(receivable).size).toBe(receivable.length); // no message twice
    expect(applied.size + receivable.length).toBe(SENT); // nothing lost (stranded or dropped)
    expect([...applied, ...receivable].sort()).toEqual([...orderIds].sort());
    // The applied batch was deleted, not left in flight to come back after the 30 s visibility timeout
    // (an aborting stop cancels its DeleteMessageBatch: NotVisible would be the batch size).
    expect(attrs.Attributes).toMatchObject({
      ApproximateNumberOfMessages: String(SENT - applied.size),
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });
});
