import { adminLogin, bearer, createProduct, expectProblem, json, registerAndLogin, startHarness, type Harness } from './harness';

const NO_LIMITS = { RATE_LIMIT_ORDERS_PER_MIN: '0', RATE_LIMIT_READS_PER_MIN: '0', RATE_LIMIT_LOGIN_PER_MIN: '0' };

let h: Harness;
let admin: string;
let shopper: string;
let productId: string;

beforeAll(async () => {
  h = await startHarness({ env: NO_LIMITS });
  admin = (await adminLogin(h.call)).token;
  shopper = (await registerAndLogin(h.call)).token;
  productId = (await createProduct(h.call, admin, { stock: 1000 })).id;
});
afterAll(() => h.close());

const place = async () => {
  const res = await h.call({
    method: 'POST',
    url: '/api/orders',
    headers: bearer(shopper),
    payload: { items: [{ productId, quantity: 1 }] },
  });
  expect(res.statusCode).toBe(201);
  return json<{ id: string }>(res).id;
};
const get = async (url: string) => {
  const res = await h.call({ url, headers: bearer(admin) });
  expect(res.statusCode).toBe(200);
  return json(res);
};

describe('GET /api/admin/stats', () => {
  it('reports processing figures of processed orders and the read cache figures', async () => {
    const times = [120, 80, 300, 100, 5000, 90, 110, 95, 105, 130];
    for (const ms of times) {
      const id = await place();
      await h.store.applyStatusChange({
        orderId: id,
        to: 'PROCESSED',
        from: ['PENDING'],
        processedAt: new Date(),
        processingTimeMs: ms,
        failureReason: null,
      });
    }
    const failed = await place();
    await h.store.applyStatusChange({
      orderId: failed,
      to: 'FAILED',
      from: ['PENDING'],
      processedAt: new Date(),
      processingTimeMs: 1,
      failureReason: 'x',
    });
    // A product read twice: the second is served from the cache.
    await h.call({ url: `/api/products/${productId}` });
    await h.call({ url: `/api/products/${productId}` });

    const stats = await get('/api/admin/stats');
    expect(stats.processing).toEqual({ count: 10, avgMs: 613, p50Ms: 105, p99Ms: 5000 });
    const { hits, misses, hitRatio } = stats.cache;
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(misses).toBeGreaterThanOrEqual(1);
    expect(hitRatio).toBeCloseTo(hits / (hits + misses), 10);
  });
});

describe('outbox admin', () => {
  it('lists parked (failed) rows and requeues chosen ones, then the rest, nudging the relay', async () => {
    const [a, b, c] = [await place(), await place(), await place()];
    const rows = (await h.store.listOutbox({ status: 'pending', limit: 1000 })).filter((m) => [a, b, c].includes(m.aggregateId));
    await h.store.markOutboxFailed(
      rows.map((m) => ({ id: m.id, error: 'queue does not exist', nextAttemptAt: null, countsAsAttempt: true })),
    );

    const listed = (await get('/api/admin/outbox?status=failed')).data;
    expect(listed.map((r: { aggregateId: string }) => r.aggregateId)).toEqual([a, b, c]);
    expect(listed[0]).toMatchObject({
      type: 'order.placed',
      status: 'failed',
      attempts: 1,
      lastError: 'queue does not exist',
      destination: 'orders',
    });
    expect(listed[0]).not.toHaveProperty('payload');
    expect((await get('/api/admin/outbox?status=failed&limit=2')).data).toHaveLength(2);
    expect((await get('/api/admin/queues')).outbox).toMatchObject({ failed: 3 });

    const nudges = h.nudges();
    const one = await h.call({
      method: 'POST',
      url: '/api/admin/outbox/requeue',
      headers: bearer(admin),
      payload: { ids: [listed[1].id, 'no-such-row'] },
    });
    expect(json(one)).toEqual({ requeued: 1 });
    expect(h.nudges()).toBe(nudges + 1);
    expect((await get('/api/admin/outbox?status=failed')).data.map((r: { aggregateId: string }) => r.aggregateId)).toEqual([a, c]);

    const rest = await h.call({ method: 'POST', url: '/api/admin/outbox/requeue', headers: bearer(admin) });
    expect(json(rest)).toEqual({ requeued: 2 });
    expect((await get('/api/admin/outbox?status=failed')).data).toEqual([]);
    const none = await h.call({ method: 'POST', url: '/api/admin/outbox/requeue', headers: bearer(admin), payload: {} });
    expect(json(none)).toEqual({ requeued: 0 });
    expect(h.nudges()).toBe(nudges + 2);
  });

  it.each([
    ['GET', '/api/admin/outbox?status=lost', undefined],
    ['GET', '/api/admin/outbox?limit=501', undefined],
    ['POST', '/api/admin/outbox/requeue', { ids: [] }],
    ['POST', '/api/admin/outbox/requeue', { ids: 'all' }],
  ])('answers %s %s with a 400 problem', async (method, url, payload) => {
    expectProblem(await h.call({ method, url, headers: bearer(admin), payload }), 400, 'validation-failed');
  });
});

describe('queue monitor without a broker', () => {
  it('still reports the outbox and the relay lag, and says why the queue list is empty', async () => {
    const body = await get('/api/admin/queues');
    expect(body.queues).toEqual([]);
    expect(body.queuesError).toMatch(/no queue broker/);
    expect(body.outbox).toEqual({ pending: expect.any(Number), failed: expect.any(Number), oldestPendingAgeMs: expect.any(Number) });
    expect(body.relayLagMs).toBe(body.outbox.oldestPendingAgeMs);
  });

  it('cannot redrive (503)', async () => {
    expectProblem(
      await h.call({ method: 'POST', url: '/api/admin/queues/orders/redrive', headers: bearer(admin) }),
      503,
      'no-queue-broker',
    );
  });
});
