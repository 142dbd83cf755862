/**
 * Outages of what the services depend on, one after the other on one stack:
 * - the SQS server goes away: orders are still accepted, the outbox holds them, readiness says
 *   the queue is down, and after the server returns (fauxqs lost its queues: the services must
 *   re-create them) everything drains;
 * - the SMTP server goes away: messages wait with backoff instead of burning their receives into
 *   the DLQ, and every email goes out once it is back;
 * - a poison message lands in the DLQ after the receive limit and consumption carries on.
 */
import { MAX_RECEIVE_COUNT } from '@oms/contracts';
import { waitFor } from '../../src';
import {
  mailsPerOrder,
  newProduct,
  newShopper,
  orderOutbox,
  ordersOf,
  placeOrder,
  queueDepth,
  readiness,
  sendRaw,
  sleep,
  startFixture,
  waitUntilSettled,
  type Fixture,
  type Shopper,
} from './fixture';

jest.setTimeout(180_000);

let f: Fixture;
let shopper: Shopper;
let productId: string;
/** Orders placed by this file so far; each must end PROCESSED with one email. */
const placed: string[] = [];

beforeAll(async () => {
  f = await startFixture('outages');
  shopper = await newShopper(f.api, 'outage');
  productId = await newProduct(f, 1_000);
});
afterAll(async () => {
  await f?.close();
});

async function order(): Promise<string> {
  const out = await placeOrder(f.api, shopper.token, [{ productId, quantity: 1 }], 10_000);
  expect(out.status).toBe(201);
  placed.push(out.orderId!);
  return out.orderId!;
}

/** Everything placed so far is PROCESSED, with exactly one email each. */
async function expectAllDelivered(): Promise<void> {
  const orders = await waitUntilSettled(f.api, [shopper], placed.length, 90_000);
  expect(orders.filter((o) => o.status !== 'PROCESSED')).toEqual([]);
  const mails = await waitFor(
    'one email per order',
    () => mailsPerOrder(f),
    (m) => placed.every((id) => m.get(id) === 1),
    {
      timeoutMs: 30_000,
      intervalMs: 500,
    },
  );
  expect(placed.map((id) => mails.get(id))).toEqual(placed.map(() => 1));
}

it('delivers normally before any outage', async () => {
  await order();
  await expectAllDelivered();
  expect((await readiness(f.api)).status).toBe(200);
});

it('SQS down: orders are accepted into the outbox, readiness is 503, and all drain after SQS returns', async () => {
  // fauxqs keeps messages in memory, so it is stopped only when nothing is queued.
  await f.stack.part('sqs').kill('SIGKILL');

  const during = [await order(), await order(), await order(), await order(), await order()];
  const ready = await readiness(f.api);
  expect(ready.status).toBe(503);
  expect(ready.body).toEqual({ status: 'not-ready', checks: { db: 'ok', queue: 'down' } });
  // The relay keeps trying while the rows stay pending; an unreachable broker uses up no attempts,
  // so however long the outage lasts nothing is parked as failed.
  const outbox = await waitFor(
    'the relay to have tried every row',
    async () => orderOutbox(f),
    (o) => o.retrying >= during.length,
    {
      timeoutMs: 20_000,
    },
  );
  expect(outbox.pending).toBeGreaterThanOrEqual(during.length);
  expect(outbox.failed).toBe(0);
  expect(outbox.maxAttempts).toBe(0);
  console.log(`SQS outage: outbox pending=${outbox.pending} (${outbox.retrying} retried, attempts used 0), readiness 503`);

  await f.stack.part('sqs').restart();
  await waitFor(
    'readiness to recover',
    () => readiness(f.api),
    (r) => r.status === 200,
    { timeoutMs: 30_000 },
  );
  await expectAllDelivered();
  expect(orderOutbox(f)).toMatchObject({ pending: 0, failed: 0 });
});

it('SMTP down: messages wait with backoff, none reaches the DLQ, every email goes out after it returns', async () => {
  await f.stack.part('mail').kill('SIGKILL');
  const during = [await order(), await order(), await order(), await order(), await order()];
  // Long enough for 5 receives at the test's 1-2 s retry delay: without the pause on SMTP outage,
  // these messages would be in the DLQ by now.
  await sleep(12_000);
  expect(await queueDepth(f, 'orders-dlq')).toBe(0);
  const stored = new Map((await ordersOf(f.api, shopper)).map((o) => [o.id, o.status]));
  expect(during.map((id) => stored.get(id))).not.toContain('PROCESSED'); // no order is PROCESSED without its email

  await f.stack.part('mail').restart();
  await expectAllDelivered();
  expect(await queueDepth(f, 'orders-dlq')).toBe(0);
  console.log(`SMTP outage: ${during.length} orders waited ~12 s, DLQ 0, one email each after recovery`);
});

it('moves a poison message to the DLQ after the receive limit and keeps consuming', async () => {
  await sendRaw(f, 'orders', 'this is not an event');
  await sendRaw(f, 'order-status', JSON.stringify({ id: 'x', type: 'order.status-changed', data: { status: 'LOST' } }));
  await waitFor(
    'the poison messages in their DLQs',
    async () => [await queueDepth(f, 'orders-dlq'), await queueDepth(f, 'order-status-dlq')],
    (d) => d[0] === 1 && d[1] === 1,
    {
      timeoutMs: 60_000,
      intervalMs: 500,
    },
  );
  await waitFor(
    'the poison message to have left the orders queue',
    () => queueDepth(f, 'orders'),
    (d) => d === 0,
    { timeoutMs: 15_000 },
  );
  await order();
  await expectAllDelivered();
  console.log(`poison: one message each in orders-dlq and order-status-dlq after ${MAX_RECEIVE_COUNT} receives; consumers kept going`);
});
