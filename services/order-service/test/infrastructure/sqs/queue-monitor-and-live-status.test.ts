import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueKey, type OrderStatusChangedEvent } from '@oms/contracts';
import { makeEvent } from '@oms/platform';
import type { OrderServiceQueues } from '../../../src/infrastructure/sqs/queues';
import { quiet, receiveAll, startSqsFixture, type SqsFixture } from './sqs-fixture';
import { createSqsQueueAdmin } from '../../../src/infrastructure/sqs/sqs-queue-admin';
import { createStatusConsumer, type StatusConsumer } from '../../../src/infrastructure/sqs/status-consumer';
import { adminLogin, bearer, createProduct, expectProblem, json, registerAndLogin, startHarness, type Harness } from '../../http/harness';
import { baseUrl, openSse } from '../../http/sse-client';

jest.setTimeout(60_000);

describe('queue monitor, DLQ redrive and live status updates against a real fauxqs', () => {
  let fx: SqsFixture;
  let sqs: SQSClient;
  let queues: OrderServiceQueues;
  let consumer: StatusConsumer;
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    fx = await startSqsFixture('order-queue-monitor');
    ({ sqs, queues } = fx);
    h = await startHarness({
      env: { RATE_LIMIT_ORDERS_PER_MIN: '0', RATE_LIMIT_READS_PER_MIN: '0' },
      deps: { queueAdmin: createSqsQueueAdmin(sqs, Object.values(fx.names), () => Object.values(queues)) },
    });
    admin = (await adminLogin(h.call)).token;
    consumer = createStatusConsumer({ sqs, queueUrl: queues[QueueKey.orderStatus].url, store: h.store, log: quiet });
    consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await h?.close();
    await fx?.stop();
  });

  it('reports depth per queue and its DLQ, and moves DLQ messages back to their source queue', async () => {
    const orders = queues[QueueKey.orders];
    const bodies = Array.from({ length: 12 }, (_, i) => JSON.stringify({ dead: i }));
    for (const body of bodies) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: orders.dlqUrl,
          MessageBody: body,
          MessageAttributes: { origin: { DataType: 'String', StringValue: 'test' } },
        }),
      );
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: queues[QueueKey.ordersPriority].url, MessageBody: '{"waiting":true}' }));

    const before = json(await h.call({ url: '/api/admin/queues', headers: bearer(admin) }));
    expect(before.queues).toEqual([
      { name: fx.names.QUEUE_ORDERS, visible: 0, inFlight: 0, delayed: 0, dlq: { name: `${fx.names.QUEUE_ORDERS}-dlq`, visible: 12 } },
      {
        name: fx.names.QUEUE_ORDERS_PRIORITY,
        visible: 1,
        inFlight: 0,
        delayed: 0,
        dlq: { name: `${fx.names.QUEUE_ORDERS_PRIORITY}-dlq`, visible: 0 },
      },
      {
        name: fx.names.QUEUE_ORDER_STATUS,
        visible: 0,
        inFlight: 0,
        delayed: 0,
        dlq: { name: `${fx.names.QUEUE_ORDER_STATUS}-dlq`, visible: 0 },
      },
    ]);
    expect(before).toMatchObject({ outbox: { pending: 0, failed: 0 }, relayLagMs: 0 });

    const redrive = await h.call({ method: 'POST', url: `/api/admin/queues/${fx.names.QUEUE_ORDERS}/redrive`, headers: bearer(admin) });
    expect(json(redrive)).toEqual({ moved: 12 });
    const after = json(await h.call({ url: '/api/admin/queues', headers: bearer(admin) }));
    expect(after.queues[0]).toMatchObject({ visible: 12, dlq: { visible: 0 } });

    const back = await receiveAll(sqs, orders.url);
    expect(back.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect(back[0]?.MessageAttributes?.origin?.StringValue).toBe('test');
    expect(await receiveAll(sqs, orders.dlqUrl)).toEqual([]);
    expect(
      json(await h.call({ method: 'POST', url: `/api/admin/queues/${fx.names.QUEUE_ORDERS}/redrive`, headers: bearer(admin) })),
    ).toEqual({
      moved: 0,
    });
  });

  it('redrives only the configured queues (404 otherwise, DLQs included)', async () => {
    for (const name of ['nope', `${fx.names.QUEUE_ORDERS}-dlq`, 'orders']) {
      expectProblem(
        await h.call({ method: 'POST', url: `/api/admin/queues/${name}/redrive`, headers: bearer(admin) }),
        404,
        'queue-not-found',
      );
    }
  });

  it('streams a status change consumed from the order-status queue to the shopper, live', async () => {
    const product = await createProduct(h.call, admin, { stock: 5 });
    const shopper = await registerAndLogin(h.call);
    const stream = await openSse(baseUrl(h.app), '/api/orders/stream', bearer(shopper.token));
    try {
      const placed = json(
        await h.call({
          method: 'POST',
          url: '/api/orders',
          headers: bearer(shopper.token),
          payload: { items: [{ productId: product.id, quantity: 1 }] },
        }),
      );
      expect((await stream.nextEvent()).event).toBe('order.created');

      const event = makeEvent<OrderStatusChangedEvent>(
        'order.status-changed',
        { orderId: placed.id, status: 'PROCESSED', processedAt: new Date().toISOString(), processingTimeMs: 321 },
        'processing-service',
      );
      await sqs.send(new SendMessageCommand({ QueueUrl: queues[QueueKey.orderStatus].url, MessageBody: JSON.stringify(event) }));
      const changed = await stream.nextEvent(20_000);
      expect(changed.event).toBe('order.status-changed');
      expect(JSON.parse(changed.data!)).toMatchObject({ id: placed.id, status: 'PROCESSED', processingTimeMs: 321 });

      // The same event again (at-least-once delivery) changes nothing, so nothing is streamed.
      await sqs.send(new SendMessageCommand({ QueueUrl: queues[QueueKey.orderStatus].url, MessageBody: JSON.stringify(event) }));
      const marker = await place(product.id, shopper.token);
      const next = await stream.nextEvent(20_000);
      expect([next.event, JSON.parse(next.data!).id]).toEqual(['order.created', marker]);
    } finally {
      stream.close();
    }
  });

  async function place(productId: string, token: string): Promise<string> {
    // Give the duplicate status message time to be consumed first, so "nothing streamed" means something.
    for (let i = 0; i < 100; i++) {
      const depth = json(await h.call({ url: '/api/admin/queues', headers: bearer(admin) })).queues[2];
      if (depth.visible === 0 && depth.inFlight === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return json(
      await h.call({ method: 'POST', url: '/api/orders', headers: bearer(token), payload: { items: [{ productId, quantity: 1 }] } }),
    ).id;
  }
});
