/**
 * Two replicas of each service as real processes on one SQLite file per service and one SQS:
 * shoppers place orders through both order replicas (5 per minute each, the default limit) while
 * one replica of each service is killed with SIGKILL and restarted. An admin's live stream on
 * replica A must carry every created and status-changed event of every order, whichever replica
 * took it, in sequence order and none twice; a client that drops and resumes on replica B with
 * its Last-Event-ID must end up with exactly the same events; the rate limit must hold across the
 * replicas; and nothing acknowledged may be lost, made twice, or emailed under two Message-IDs.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sleep } from '@oms/platform';
import {
  apiClient,
  caughtMails,
  openSse,
  startSuiteStack,
  waitFor,
  type Api,
  type SseClient,
  type SseEvent,
  type SuiteStack,
} from '../src';

jest.setTimeout(300_000);

const ADMIN = { email: 'replicas-admin@oms.test', password: 'Replicas-admin-1' };
const SHOPPERS = 24;
const ORDERS_EACH = 3; // under the limit of 5, so a retry after a kill still fits in the minute

let suite: SuiteStack | undefined;
const streams: SseClient[] = [];
afterAll(async () => {
  for (const s of streams) s.close();
  await suite?.close();
});

interface Shopper {
  token: string;
}

async function newShopper(api: Api, name: string): Promise<Shopper> {
  const email = `${name}-${randomUUID().slice(0, 8)}@shop.test`;
  const password = `Pw-${randomUUID()}`;
  expect((await api('POST', '/api/auth/register', { body: { username: name, email, password } })).status).toBe(201);
  const login = await api('POST', '/api/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  return { token: login.body.accessToken };
}

/**
 * Places one order the way a careful client behind a load balancer does: one Idempotency-Key, and
 * after a connection error the same request to the other replica.
 */
async function placeOrder(apis: Api[], first: number, token: string, productId: string): Promise<{ status: number; id: string | null }> {
  const key = randomUUID();
  for (let attempt = 0; attempt < 600; attempt++) {
    const api = apis[(first + attempt) % apis.length]!;
    try {
      const res = await api('POST', '/api/orders', {
        token,
        body: { items: [{ productId, quantity: 1 }] },
        headers: { 'idempotency-key': key },
      });
      if (res.status !== 503) return { status: res.status, id: res.status === 201 ? res.body.id : null };
    } catch (err) {
      if ((err as Error).name !== 'TypeError') throw err; // fetch's network failure
    }
    await sleep(100);
  }
  throw new Error(`order ${key} got no answer`);
}

const stream = async (base: string, token: string, lastEventId?: string) => {
  const s = await openSse(`${base}/api/orders/stream`, {
    authorization: `Bearer ${token}`,
    ...(lastEventId && { 'last-event-id': lastEventId }),
  });
  expect(s.status).toBe(200);
  streams.push(s);
  return s;
};
const seqs = (events: SseEvent[]) => events.map((e) => Number(e.id));
const orderIdOf = (e: SseEvent) => (JSON.parse(e.data) as { id: string }).id;

it('behaves as one system with 2 order-service and 2 processing-service replicas, through kill -9 of one of each', async () => {
  suite = await startSuiteStack(
    'replicas',
    {
      // Every shopper registers from 127.0.0.1: the per-address registration limit (10/min) would stop the rest.
      order: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        RATE_LIMIT_READS_PER_MIN: '0',
        RATE_LIMIT_LOGIN_PER_MIN: '0',
        RATE_LIMIT_REGISTER_PER_MIN: '0',
        OUTBOX_LEASE_MS: '3000',
      },
      processing: { VISIBILITY_TIMEOUT_SEC: '5', RETRY_BASE_SEC: '1', RETRY_MAX_SEC: '2', OUTBOX_LEASE_MS: '3000' },
    },
    2,
  );
  const { stack, dataDir } = suite;
  const [a, b] = stack.urls.orders as [string, string];
  const apis = [apiClient(a), apiClient(b)];
  const admin = (await apis[0]!('POST', '/api/auth/login', { body: ADMIN })).body.accessToken as string;
  const product = await apis[1]!('POST', '/api/admin/products', {
    token: admin,
    body: { sku: `REP-${randomUUID().slice(0, 8)}`, name: 'Jute rug', priceCents: 25_000, currency: 'INR', stock: 100_000 },
  });
  expect(product.status).toBe(201);
  const productId = product.body.id as string;

  const onA = await stream(a, admin);
  const dropping = await stream(a, admin);

  // The per-user limit (5 a minute) holds across replicas: 12 concurrent orders, 6 to each.
  const limited = await newShopper(apis[0]!, 'limited');
  const tries = await Promise.all(Array.from({ length: 12 }, (_, i) => placeOrder(apis, i % 2, limited.token, productId)));
  expect(tries.map((t) => t.status).sort()).toEqual([...Array(5).fill(201), ...Array(7).fill(429)]);
  const acked = tries.flatMap((t) => (t.id ? [t.id] : []));

  // Load through both replicas; meanwhile kill -9 replica 2 of each service, and drop the second stream.
  const shoppers: Shopper[] = [];
  for (let i = 0; i < SHOPPERS; i++) shoppers.push(await newShopper(apis[i % 2]!, `rep${i}`));
  const refused: number[] = [];
  const shop = async (s: Shopper, n: number) => {
    for (let i = 0; i < ORDERS_EACH; i++) {
      const out = await placeOrder(apis, n + i, s.token, productId);
      if (out.id) acked.push(out.id);
      else refused.push(out.status);
      await sleep(1000 + ((n * 337) % 1500));
    }
  };
  const chaos = (async () => {
    await sleep(2000);
    await stack.part('order-2').kill('SIGKILL');
    dropping.close();
    await stack.part('processing-2').kill('SIGKILL');
    await sleep(1000);
    await Promise.all([stack.part('order-2').restart(), stack.part('processing-2').restart()]);
  })();
  await Promise.all([...shoppers.map((s, n) => shop(s, n)), chaos]);
  expect(refused).toEqual([]);
  const placed = new Set(acked);
  expect(placed.size).toBe(5 + SHOPPERS * ORDERS_EACH);

  // Everything reaches PROCESSED (work held by the killed replicas comes back after the lease / visibility timeout).
  const processedIds = async () => {
    const db = new Database(path.join(dataDir, 'order-service.sqlite'), { readonly: true });
    try {
      return new Set(db.prepare("SELECT id FROM orders WHERE status = 'PROCESSED'").pluck().all() as string[]);
    } finally {
      db.close();
    }
  };
  await waitFor('every acknowledged order to be PROCESSED', processedIds, (done) => [...placed].every((id) => done.has(id)), {
    timeoutMs: 120_000,
    intervalMs: 500,
  });
  const lastSeq = await waitFor(
    'the admin stream on A to show every order PROCESSED',
    async () => onA.events.filter((e) => e.event === 'order.status-changed' && JSON.parse(e.data).status === 'PROCESSED').length,
    (n) => n >= placed.size,
    { timeoutMs: 30_000 },
  ).then(() => Number(onA.events.at(-1)!.id));

  // Resume on B from where the dropped client was: it misses nothing and gets nothing twice.
  const resumed = await stream(b, admin, dropping.lastEventId());
  await waitFor(
    'the resumed stream on B to catch up',
    async () => Number(resumed.lastEventId()),
    (id) => id >= lastSeq,
    { timeoutMs: 30_000 },
  );

  const orderDb = new Database(path.join(dataDir, 'order-service.sqlite'), { readonly: true });
  const processingDb = new Database(path.join(dataDir, 'processing-service.sqlite'), { readonly: true });
  try {
    // The admin stream on A: every event of the feed, from both replicas, in sequence order, none twice.
    const firstSeq = Number(onA.events[0]!.id);
    const feed = orderDb
      .prepare('SELECT seq FROM order_events WHERE seq BETWEEN ? AND ? ORDER BY seq')
      .pluck()
      .all(firstSeq, lastSeq) as number[];
    const seenOnA = seqs(onA.events).filter((s) => s <= lastSeq);
    expect(seenOnA).toEqual(feed);
    const createdOnA = onA.events.filter((e) => e.event === 'order.created').map(orderIdOf);
    expect(new Set(createdOnA)).toEqual(placed);
    expect(createdOnA).toHaveLength(placed.size);

    // Dropped on A, resumed on B with Last-Event-ID: together exactly what A's stream carried.
    const resumedSeqs = seqs(resumed.events).filter((s) => s <= lastSeq);
    expect([...seqs(dropping.events), ...resumedSeqs]).toEqual(seenOnA);
    expect(resumed.events.length).toBeGreaterThan(0);

    // Published once, processed once, one email (one Message-ID) per order.
    const outbox = orderDb.prepare("SELECT aggregate_id AS id, status FROM outbox WHERE type = 'order.placed'").all() as {
      id: string;
      status: string;
    }[];
    expect(
      outbox
        .filter((r) => placed.has(r.id))
        .map((r) => r.status)
        .sort(),
    ).toEqual(Array(placed.size).fill('published'));
    const inbox = processingDb.prepare('SELECT order_id AS id, state FROM inbox').all() as { id: string; state: string }[];
    expect(inbox.filter((r) => placed.has(r.id)).map((r) => r.state)).toEqual(Array(placed.size).fill('done'));
    const mails = new Map<string, Set<string>>();
    for (const m of await caughtMails(stack.urls.mailWeb)) {
      const id = /^Order (\S+) confirmed$/.exec(m.subject)?.[1];
      if (id) mails.set(id, (mails.get(id) ?? new Set()).add(String((m as { messageId?: unknown }).messageId)));
    }
    expect([...placed].filter((id) => mails.get(id)?.size !== 1)).toEqual([]);
    console.log(
      `replicas: ${placed.size} orders through 2 order replicas (kill -9 of order-2 and processing-2 under load); ` +
        `${feed.length} feed events, all on A's stream in order; ${resumed.events.length} replayed/streamed on B after the resume; ` +
        `mails caught: ${[...mails.values()].reduce((n, s) => n + s.size, 0)} distinct Message-IDs for ${placed.size} orders`,
    );
  } finally {
    orderDb.close();
    processingDb.close();
  }
});
