/**
 * Shared scaffolding of the reliability suite: a whole embedded stack on free ports and a fresh
 * data dir, a shopper client that behaves like a real one (Idempotency-Key on every order, retry
 * with the same key after a connection error), and the read-side checks (orders, stock, mails,
 * queues, outbox) the tests assert on.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import { OrderDto } from '@oms/contracts';
import type { Stack } from '@oms/dev-stack';
import { sleep } from '@oms/platform';
import { createSqsClient } from '@oms/platform/sqs';
import { apiClient, caughtMails, startSuiteStack, waitFor, type Api } from '../../src';

export const ADMIN = { email: 'reliability-admin@oms.test', password: 'Reliability-admin-1' };
export { sleep };

/**
 * Test-speed settings, all of them real knobs an operator has: leases and visibility timeouts
 * decide how soon work held by a killed process is taken up again (production keeps 30 s), and
 * the rate limits are lifted because four shoppers place hundreds of orders a minute.
 */
const FAST_RECOVERY = {
  order: {
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_ORDERS_PER_MIN: '0',
    RATE_LIMIT_READS_PER_MIN: '0',
    RATE_LIMIT_LOGIN_PER_MIN: '0',
    RATE_LIMIT_REGISTER_PER_MIN: '0',
    LOGIN_SLOWDOWN_AFTER: '0',
    OUTBOX_LEASE_MS: '3000',
  },
  processing: {
    VISIBILITY_TIMEOUT_SEC: '5',
    RETRY_BASE_SEC: '1',
    RETRY_MAX_SEC: '2',
    OUTBOX_LEASE_MS: '3000',
  },
};

export interface Fixture {
  stack: Stack;
  api: Api;
  sqs: SQSClient;
  adminToken: string;
  orderDbPath: string;
  /** The stack's data dir (SQLite files, the processing service's send journal). */
  dataDir: string;
  /** Stops every process (also after a failed test) and removes the data dir. */
  close(): Promise<void>;
}

export async function startFixture(name: string): Promise<Fixture> {
  const { stack, dataDir, close: stopStack } = await startSuiteStack(name, FAST_RECOVERY);
  const api = apiClient(stack.urls.order);
  const sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: stack.urls.sqs });
  const close = async () => {
    sqs.destroy();
    await stopStack();
  };
  try {
    const login = await api('POST', '/api/auth/login', { body: ADMIN });
    if (login.status !== 200) throw new Error(`admin login failed: ${login.status}`);
    return { stack, api, sqs, adminToken: login.body.accessToken, orderDbPath: path.join(dataDir, 'order-service.sqlite'), dataDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface Shopper {
  id: string;
  email: string;
  token: string;
}

export async function newShopper(api: Api, name: string): Promise<Shopper> {
  const email = `${name}-${randomUUID().slice(0, 8)}@shop.test`;
  const password = `Pw-${randomUUID()}`;
  const reg = await api('POST', '/api/auth/register', { body: { username: name, email, password } });
  if (reg.status !== 201) throw new Error(`register ${name}: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await api('POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login ${name}: ${login.status}`);
  return { id: reg.body.user.id, email, token: login.body.accessToken };
}

export async function newProduct(f: Fixture, stock: number): Promise<string> {
  const body = { sku: `REL-${randomUUID().slice(0, 8)}`, name: 'Teak stool', priceCents: 49_900, currency: 'INR', stock };
  const res = await f.api('POST', '/api/admin/products', { token: f.adminToken, body });
  if (res.status !== 201) throw new Error(`create product: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function stockOf(api: Api, productId: string): Promise<number> {
  const res = await api('GET', `/api/products/${productId}`);
  if (res.status !== 200) throw new Error(`GET product ${productId}: ${res.status}`);
  return res.body.stock;
}

export interface Line {
  productId: string;
  quantity: number;
}

export interface PlaceOutcome {
  status: number;
  orderId: string | null;
  /** Requests sent for this one order (1 = no retry needed). */
  attempts: number;
  replayed: boolean;
}

/**
 * One order the way a careful client places it: a fresh Idempotency-Key, and after a connection
 * error (the service was killed, restarting, or closing) the SAME request again with the SAME key,
 * until an HTTP answer arrives or the deadline passes. 503 while the service drains counts as
 * "try again" too. Any other answer is final.
 */
export async function placeOrder(api: Api, token: string, items: Line[], deadlineMs = 90_000): Promise<PlaceOutcome> {
  const key = randomUUID();
  const giveUpAt = Date.now() + deadlineMs;
  for (let attempts = 1; ; attempts++) {
    try {
      const res = await api('POST', '/api/orders', { token, body: { items }, headers: { 'idempotency-key': key } });
      if (res.status !== 503) {
        return {
          status: res.status,
          orderId: res.status === 201 ? res.body.id : null,
          attempts,
          replayed: res.headers.get('idempotent-replayed') === 'true',
        };
      }
    } catch (err) {
      // fetch reports every network failure as a TypeError (from Node's realm, so not `instanceof` under jest).
      if ((err as Error).name !== 'TypeError') throw err;
    }
    if (Date.now() > giveUpAt) throw new Error(`order with key ${key} got no answer within ${deadlineMs} ms`);
    await sleep(100);
  }
}

/** Every order of a shopper, following the cursor. */
export async function ordersOf(api: Api, shopper: Shopper): Promise<OrderDto[]> {
  const all: OrderDto[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=100&cursor=${cursor}` : '?limit=100';
    const res = await api('GET', `/api/orders${query}`, { token: shopper.token });
    if (res.status !== 200) throw new Error(`list orders: ${res.status} ${JSON.stringify(res.body)}`);
    all.push(...res.body.data.map((o: unknown) => OrderDto.parse(o)));
    cursor = res.body.nextCursor;
  } while (cursor);
  return all;
}

/** Waits until every listed order of these shoppers is PROCESSED (or FAILED, which the caller rejects). */
export async function waitUntilSettled(api: Api, shoppers: Shopper[], expected: number, timeoutMs = 120_000): Promise<OrderDto[]> {
  return waitFor(
    `${expected} orders to reach PROCESSED`,
    async () => (await Promise.all(shoppers.map((s) => ordersOf(api, s)))).flat(),
    (orders) => orders.length >= expected && orders.every((o) => o.status === 'PROCESSED' || o.status === 'FAILED'),
    { timeoutMs, intervalMs: 500 },
  );
}

/** Caught confirmation mails per order id (subject "Order <id> confirmed"). */
export async function mailsPerOrder(f: Fixture): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [id, ids] of await messageIdsPerOrder(f)) counts.set(id, ids.length);
  return counts;
}

/** The Message-ID header of every caught confirmation mail, per order id. */
export async function messageIdsPerOrder(f: Fixture): Promise<Map<string, string[]>> {
  const byOrder = new Map<string, string[]>();
  for (const mail of await caughtMails(f.stack.urls.mailWeb)) {
    const id = /^Order (\S+) confirmed$/.exec(mail.subject)?.[1];
    if (id) byOrder.set(id, [...(byOrder.get(id) ?? []), String((mail as { messageId?: unknown }).messageId)]);
  }
  return byOrder;
}

/** Visible + in-flight messages of a queue (0 when the queue does not exist). */
export async function queueDepth(f: Fixture, name: string): Promise<number> {
  const { QueueUrl } = await f.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const res = await f.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const a = res.Attributes ?? {};
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

export async function sendRaw(f: Fixture, queueName: string, body: string): Promise<void> {
  const { QueueUrl } = await f.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  await f.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
}

/** Outbox rows of the order service by status, read straight from its SQLite file (read-only). */
export function orderOutbox(f: Fixture): {
  pending: number;
  published: number;
  failed: number;
  maxAttempts: number;
  /** Pending rows the relay already tried and could not publish. */
  retrying: number;
} {
  const db = new Database(f.orderDbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT status, COUNT(*) AS n, MAX(attempts) AS a FROM outbox GROUP BY status').all() as {
      status: string;
      n: number;
      a: number;
    }[];
    const count = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    const { retrying } = db
      .prepare("SELECT COUNT(*) AS retrying FROM outbox WHERE status = 'pending' AND last_error IS NOT NULL")
      .get() as { retrying: number };
    return {
      pending: count('pending'),
      published: count('published'),
      failed: count('failed'),
      maxAttempts: Math.max(0, ...rows.map((r) => r.a)),
      retrying,
    };
  } finally {
    db.close();
  }
}

/** Health probe that never throws: the status, or 0 when nothing answers. */
export async function readiness(api: Api): Promise<{ status: number; body: unknown }> {
  try {
    const res = await api('GET', '/api/health/ready');
    return { status: res.status, body: res.body };
  } catch {
    return { status: 0, body: null };
  }
}
