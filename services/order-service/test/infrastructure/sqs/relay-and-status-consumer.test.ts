import { ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { OrderPlacedEvent, QueueKey, type OrderStatusChangedEvent } from '@oms/contracts';
import type { OutboxRelay } from '@oms/outbox';
import { makeEvent } from '@oms/platform';
import { createOutboxRelay } from '../../../src/infrastructure/sqs/outbox-relay';
import type { OrderServiceQueues } from '../../../src/infrastructure/sqs/queues';
import { quiet, startSqsFixture, type SqsFixture } from './sqs-fixture';
import { createStatusConsumer, type StatusConsumer } from '../../../src/infrastructure/sqs/status-consumer';
import { adminLogin, bearer, createProduct, json, registerAndLogin, startHarness, userWithTier, type Harness } from '../../http/harness';

jest.setTimeout(60_000);

/** Long-polls until a message arrives or the deadline passes (a wait, not a timing assertion). */
async function receiveOne(sqs: SQSClient, queueUrl: string, deadlineMs = 20_000): Promise<Message> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    const m = res.Messages?.[0];
    if (m) return m;
  }
  throw new Error(`no message on ${queueUrl}`);
}

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, deadlineMs = 20_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('outbox relay and order-status consumer against a real fauxqs', () => {
  let fx: SqsFixture;
  let sqs: SQSClient;
  let queues: OrderServiceQueues;
  let relay: OutboxRelay;
  let consumer: StatusConsumer;
  let h: Harness;
  const warnings: string[] = [];

  beforeAll(async () => {
    fx = await startSqsFixture('order-relay-it');
    ({ sqs, queues } = fx);
    h = await startHarness({ deps: { onOrderPlaced: () => relay.nudge() } });
    relay = createOutboxRelay({
      store: h.store,
      sqs,
      queues,
      settings: { OUTBOX_CRON: '* * * * * *', OUTBOX_BATCH_SIZE: 100, OUTBOX_MAX_ATTEMPTS: 10, OUTBOX_LEASE_MS: 30_000 },
      log: quiet,
    });
    consumer = createStatusConsumer({
      sqs,
      queueUrl: queues[QueueKey.orderStatus].url,
      store: h.store,
      log: { ...quiet, warn: (_obj: object, msg?: string) => void warnings.push(msg ?? '') },
    });
    relay.start();
    consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await h?.close();
    await fx?.stop();
  });

  it('publishes a placed order to the orders queue, a VIP order to the priority queue', async () => {
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: 10 });
    const shopper = await registerAndLogin(h.call);
    const vip = await userWithTier(h, 'DIAMOND');

    const normal = json(
      await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(shopper.token),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      }),
    );
    const priority = json(
      await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(vip.token),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      }),
    );

    const onOrders = OrderPlacedEvent.parse(JSON.parse((await receiveOne(sqs, queues[QueueKey.orders].url)).Body!));
    expect(onOrders.data).toMatchObject({ orderId: normal.id, priority: 'NORMAL', totals: { totalCents: normal.totalCents } });
    const onPriority = OrderPlacedEvent.parse(JSON.parse((await receiveOne(sqs, queues[QueueKey.ordersPriority].url)).Body!));
    expect(onPriority.data).toMatchObject({ orderId: priority.id, priority: 'VIP' });

    await eventually(async () => (await h.store.outboxStats(new Date())).pending === 0, 'outbox drained');
    expect((await h.store.listOutbox({ status: 'published', limit: 10 })).map((m) => m.aggregateId).sort()).toEqual(
      [normal.id, priority.id].sort(),
    );
  });

  it('applies an order.status-changed event from the status queue', async () => {
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin);
    const shopper = await registerAndLogin(h.call);
    const placed = json(
      await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(shopper.token),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      }),
    );

    const event = makeEvent<OrderStatusChangedEvent>(
      'order.status-changed',
      { orderId: placed.id, status: 'PROCESSED', processedAt: '2025-01-01T00:00:05.000Z', processingTimeMs: 420 },
      'processing-service',
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queues[QueueKey.orderStatus].url, MessageBody: JSON.stringify(event) }));

    const updated = await eventually(async () => {
      const o = await h.store.getOrder(placed.id);
      return o?.status === 'PROCESSED' ? o : null;
    }, 'order to become PROCESSED');
    expect(updated).toMatchObject({ processedAt: new Date('2025-01-01T00:00:05.000Z'), processingTimeMs: 420 });

    const seen = json(await h.call({ url: `/api/orders/${placed.id}`, headers: bearer(shopper.token) }));
    expect(seen).toMatchObject({ status: 'PROCESSED', processedAt: '2025-01-01T00:00:05.000Z', processingTimeMs: 420 });
  });

  it('sends a malformed status message on to the DLQ without crashing', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queues[QueueKey.orderStatus].url, MessageBody: '{"not":"an event"' }));
    const dead = await receiveOne(sqs, queues[QueueKey.orderStatus].dlqUrl, 30_000);
    expect(dead.Body).toBe('{"not":"an event"');
    expect(warnings).toContain('malformed order-status message; leaving it for the DLQ');
  });
});
