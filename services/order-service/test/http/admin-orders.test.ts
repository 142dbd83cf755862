import type { OrderStatus } from '@oms/contracts';
import { adminLogin, bearer, createProduct, expectProblem, json, login, registerAndLogin, startHarness, type Harness } from './harness';

const NO_LIMITS = { RATE_LIMIT_ORDERS_PER_MIN: '0', RATE_LIMIT_READS_PER_MIN: '0', RATE_LIMIT_LOGIN_PER_MIN: '0' };
const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const HOUR = 3_600_000;

interface Placed {
  id: string;
  createdAt: string;
  username: string;
  status: OrderStatus;
  totalCents: number;
  items: { name: string; sku: string }[];
}

let h: Harness;
let clockMs = T0;
let admin: string;
let shopperToken: string;
const orders: Placed[] = [];

const newestFirst = (list: Placed[]) =>
  [...list].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1)).map((o) => o.id);

/** Walks every page; fails on a repeated id (a page boundary that repeats) or a page past the end. */
async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', String(limit));
    if (cursor) params.set('cursor', cursor);
    const res = await h.call({ url: `/api/admin/orders?${params.toString()}`, headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    const page = json<{ data: Placed[]; nextCursor: string | null }>(res);
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((o) => o.id));
    cursor = page.nextCursor;
    if (++pages > 100) throw new Error('paging does not end');
  } while (cursor);
  expect(new Set(ids).size).toBe(ids.length);
  return { ids, pages };
}

beforeAll(async () => {
  // Tokens live 24 h, longer than the 19 simulated hours the orders span.
  h = await startHarness({ env: { ...NO_LIMITS, ACCESS_TOKEN_TTL_SEC: '86400' }, deps: { clock: () => new Date(clockMs) } });
  admin = (await adminLogin(h.call)).token;
  const products = [
    await createProduct(h.call, admin, { name: 'Copper Kettle', sku: 'KET-1', priceCents: 1000, stock: 10_000 }),
    await createProduct(h.call, admin, { name: 'Brass Lamp', sku: 'LMP-2', priceCents: 2500, stock: 10_000 }),
    await createProduct(h.call, admin, { name: 'Steel Tumbler', sku: 'TMB-3', priceCents: 400, stock: 10_000 }),
  ];
  const shoppers = [
    await registerAndLogin(h.call, 'ravi_k'),
    await registerAndLogin(h.call, 'meera_s'),
    await registerAndLogin(h.call, 'arjun_p'),
  ];
  // 57 orders, three per hour with the SAME timestamp, so page boundaries fall inside ties.
  for (let i = 0; i < 57; i++) {
    clockMs = T0 + Math.floor(i / 3) * HOUR;
    const res = await h.call({
      method: 'POST',
      url: '/api/orders',
      headers: bearer(shoppers[i % 3]!.token),
      payload: {
        items: [
          { productId: products[i % 3]!.id, quantity: 1 + (i % 4) },
          ...(i % 5 === 0 ? [{ productId: products[(i + 1) % 3]!.id, quantity: 1 }] : []),
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const o = json(res);
    orders.push({
      id: o.id,
      createdAt: o.createdAt,
      username: ['ravi_k', 'meera_s', 'arjun_p'][i % 3]!,
      status: 'PENDING',
      totalCents: o.totalCents,
      items: o.items,
    });
  }
  // Back to real time: tokens issued in the past have expired, so log in again.
  clockMs = Date.now();
  admin = (await adminLogin(h.call)).token;
  shopperToken = (await login(h.call, shoppers[0]!.email, shoppers[0]!.password)).token;
  for (const [i, o] of orders.entries()) {
    const to: OrderStatus | null = i % 4 === 0 ? 'PROCESSED' : i % 7 === 0 ? 'FAILED' : null;
    if (!to) continue;
    await h.store.applyStatusChange({
      orderId: o.id,
      to,
      from: ['PENDING'],
      processedAt: new Date(),
      processingTimeMs: 10,
      failureReason: to === 'FAILED' ? 'x' : null,
    });
    o.status = to;
  }
});
afterAll(() => h.close());

describe('GET /api/admin/orders', () => {
  it('pages through all 57 orders 10 at a time, newest first, never repeating or skipping one', async () => {
    const { ids, pages } = await walk('', 10);
    expect(pages).toBe(6);
    expect(ids).toEqual(newestFirst(orders));
  });

  it('pages a filtered list the same way (7 per page)', async () => {
    const pending = orders.filter((o) => o.status === 'PENDING');
    expect((await walk('status=PENDING', 7)).ids).toEqual(newestFirst(pending));
  });

  it('shows each order with its user name', async () => {
    const page = json(await h.call({ url: '/api/admin/orders?limit=1', headers: bearer(admin) }));
    const newest = orders.find((o) => o.id === page.data[0].id)!;
    expect(page.data[0]).toMatchObject({ id: newest.id, username: newest.username, status: newest.status, totalCents: newest.totalCents });
  });

  it.each(['PENDING', 'PROCESSED', 'FAILED', 'PROCESSING'] as const)('filters exactly by status %s', async (status) => {
    const expected = orders.filter((o) => o.status === status);
    expect((await walk(`status=${status}`, 100)).ids).toEqual(newestFirst(expected));
  });

  it('filters by a half-open time range [from, to)', async () => {
    const from = orders[9]!.createdAt; // a tie group's time: all three are in
    const to = orders[30]!.createdAt; // and that group is out
    const expected = orders.filter((o) => o.createdAt >= from && o.createdAt < to);
    expect(expected).toHaveLength(21);
    expect((await walk(new URLSearchParams({ from, to }).toString(), 100)).ids).toEqual(newestFirst(expected));
    const onlyFrom = orders.filter((o) => o.createdAt >= to);
    expect((await walk(new URLSearchParams({ from: to }).toString(), 100)).ids).toEqual(newestFirst(onlyFrom));
    // Offsets are understood: the same instant written in +05:30.
    const ist = new Date(Date.parse(to) + 5.5 * HOUR).toISOString().replace('Z', '+05:30');
    expect((await walk(new URLSearchParams({ to: ist }).toString(), 100)).ids).toEqual(newestFirst(orders.filter((o) => o.createdAt < to)));
  });

  const matching = (q: string) => {
    const text = q.toLowerCase();
    return orders.filter(
      (o) =>
        o.username.toLowerCase().includes(text) ||
        o.items.some((l) => l.name.toLowerCase().includes(text) || l.sku.toLowerCase().includes(text)) ||
        String(o.totalCents) === q,
    );
  };

  it.each([
    ['product name, any case', 'bRASS'],
    ['sku', 'tmb-3'],
    ['user name', 'meera'],
  ])('searches by %s', async (_what, q) => {
    const expected = matching(q);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(orders.length);
    expect((await walk(`q=${encodeURIComponent(q)}`, 100)).ids).toEqual(newestFirst(expected));
  });

  it('searches by an exact amount in minor units', async () => {
    const amount = String(orders[13]!.totalCents);
    const expected = orders.filter((o) => String(o.totalCents) === amount);
    expect((await walk(`q=${amount}`, 100)).ids).toEqual(newestFirst(expected));
    expect(expected.map((o) => o.id)).toContain(orders[13]!.id);
  });

  it('combines filters', async () => {
    const from = orders[12]!.createdAt;
    const expected = matching('kettle').filter((o) => o.status === 'PENDING' && o.createdAt >= from);
    expect(expected.length).toBeGreaterThan(0);
    expect((await walk(new URLSearchParams({ q: 'kettle', status: 'PENDING', from }).toString(), 3)).ids).toEqual(newestFirst(expected));
  });

  it.each([
    ['cursor=not-a-cursor', 'invalid-cursor'],
    [`cursor=${Buffer.from('{"t":"yesterday","i":"x"}').toString('base64url')}`, 'invalid-cursor'],
    ['from=2025-13-01T00:00:00Z', 'validation-failed'],
    ['from=yesterday', 'validation-failed'],
    ['to=2025-03-01', 'validation-failed'],
    ['from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z', 'validation-failed'],
    ['status=DONE', 'validation-failed'],
    ['status=PENDING&status=FAILED', 'validation-failed'],
    ['limit=0', 'validation-failed'],
    ['limit=101', 'validation-failed'],
    [`q=${'x'.repeat(101)}`, 'validation-failed'],
  ])('answers %s with a 400 problem', async (query, code) => {
    expectProblem(await h.call({ url: `/api/admin/orders?${query}`, headers: bearer(admin) }), 400, code);
  });
});

describe('DELETE /api/admin/orders/:id', () => {
  const stockOf = async (id: string) => json(await h.call({ url: `/api/products/${id}` })).stock as number;

  it('removes a PENDING order and puts its stock back', async () => {
    const p = await createProduct(h.call, admin, { stock: 10 });
    const placed = json(
      await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(shopperToken),
        payload: { items: [{ productId: p.id, quantity: 4 }] },
      }),
    );
    expect(await stockOf(p.id)).toBe(6);
    const res = await h.call({ method: 'DELETE', url: `/api/admin/orders/${placed.id}`, headers: bearer(admin) });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(await stockOf(p.id)).toBe(10);
    expectProblem(await h.call({ url: `/api/orders/${placed.id}`, headers: bearer(shopperToken) }), 404, 'order-not-found');
    expect((await h.store.listOutbox({ status: 'pending', limit: 1000 })).some((m) => m.aggregateId === placed.id)).toBe(false);
    expectProblem(
      await h.call({ method: 'DELETE', url: `/api/admin/orders/${placed.id}`, headers: bearer(admin) }),
      404,
      'order-not-found',
    );
  });

  it('removes an order past PENDING without giving stock back', async () => {
    const p = await createProduct(h.call, admin, { stock: 10 });
    const placed = json(
      await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(shopperToken),
        payload: { items: [{ productId: p.id, quantity: 3 }] },
      }),
    );
    await h.store.applyStatusChange({
      orderId: placed.id,
      to: 'PROCESSED',
      from: ['PENDING'],
      processedAt: new Date(),
      processingTimeMs: 5,
      failureReason: null,
    });
    expect((await h.call({ method: 'DELETE', url: `/api/admin/orders/${placed.id}`, headers: bearer(admin) })).statusCode).toBe(204);
    expect(await stockOf(p.id)).toBe(7);
    expect(await h.store.getOrder(placed.id)).toBeNull();
  });
});

describe('admin routes are for admins only', () => {
  // Every row has three entries: jest.each hands a shorter row's test a `done` callback instead.
  const routes: [string, string, unknown][] = [
    ['GET', '/api/admin/orders', undefined],
    ['DELETE', '/api/admin/orders/some-id', undefined],
    ['GET', '/api/admin/queues', undefined],
    ['POST', '/api/admin/queues/orders/redrive', {}],
    ['GET', '/api/admin/outbox?status=failed', undefined],
    ['POST', '/api/admin/outbox/requeue', {}],
    ['GET', '/api/admin/stats', undefined],
    ['POST', '/api/admin/products', { sku: 'X', name: 'X', priceCents: 1, currency: 'INR', stock: 1 }],
  ];

  it.each(routes)('%s %s: 403 for a shopper, 401 without a token', async (method, url, payload) => {
    expectProblem(await h.call({ method, url, headers: bearer(shopperToken), payload }), 403, 'admin-only');
    expectProblem(await h.call({ method, url, payload }), 401, 'missing-token');
  });
});
