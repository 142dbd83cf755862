import { OrderPlacedEvent } from '@oms/contracts';
import {
  adminLogin,
  bearer,
  createProduct,
  expectProblem,
  json,
  registerAndLogin,
  startHarness,
  userWithTier,
  type Harness,
} from './harness';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  admin = (await adminLogin(h.call)).token;
});
afterAll(() => h.close());

const order = (token: string, items: unknown, headers: Record<string, string> = {}) =>
  h.call({ method: 'POST', url: '/api/orders', headers: { ...bearer(token), ...headers }, payload: { items } });
const stockOf = async (id: string) => json(await h.call({ url: `/api/products/${id}` })).stock as number;
const outboxFor = async (orderId: string) =>
  (await h.store.listOutbox({ status: 'pending', limit: 1000 })).filter((m) => m.aggregateId === orderId);

describe('placing orders', () => {
  it('prices 2 x 100000 as 200000 + 18% tax 36000 = 236000, takes the stock and queues the event', async () => {
    const shopper = await registerAndLogin(h.call);
    const p = await createProduct(h.call, admin, { priceCents: 100_000, currency: 'INR', stock: 5 });
    const nudgesBefore = h.nudges();

    const res = await order(shopper.token, [{ productId: p.id, quantity: 2 }]);
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body).toMatchObject({
      userId: shopper.userId,
      status: 'PENDING',
      tier: 'BRONZE',
      items: [{ productId: p.id, sku: p.sku, unitPriceCents: 100_000, quantity: 2, lineTotalCents: 200_000 }],
      subtotalCents: 200_000,
      taxCents: 36_000,
      totalCents: 236_000,
      currency: 'INR',
    });
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
    expect(await stockOf(p.id)).toBe(3);
    expect(h.nudges()).toBe(nudgesBefore + 1);

    const [message, ...more] = await outboxFor(body.id);
    expect(more).toEqual([]);
    expect(message?.destination).toBe('orders');
    const event = OrderPlacedEvent.parse(JSON.parse(message!.payload));
    expect(event.id).toBe(message!.id);
    expect(event.data).toMatchObject({
      orderId: body.id,
      customer: { email: shopper.email },
      totals: { subtotalCents: 200_000, taxCents: 36_000, totalCents: 236_000 },
      priority: 'NORMAL',
    });

    const got = await h.call({ url: `/api/orders/${body.id}`, headers: bearer(shopper.token) });
    expect(json(got)).toEqual(body);
  });

  it('routes DIAMOND (VIP) orders to the priority queue', async () => {
    const vip = await userWithTier(h, 'DIAMOND');
    const p = await createProduct(h.call, admin);
    const res = await order(vip.token, [{ productId: p.id, quantity: 1 }]);
    expect(res.statusCode).toBe(201);
    const [message] = await outboxFor(json(res).id);
    expect(message?.destination).toBe('orders-priority');
    expect(JSON.parse(message!.payload).data).toMatchObject({ tier: 'DIAMOND', priority: 'VIP' });
  });

  it('answers 409 naming the short lines and changes nothing', async () => {
    const shopper = await registerAndLogin(h.call);
    const plenty = await createProduct(h.call, admin, { stock: 10 });
    const scarce = await createProduct(h.call, admin, { stock: 1 });
    const res = await order(shopper.token, [
      { productId: plenty.id, quantity: 2 },
      { productId: scarce.id, quantity: 3 },
    ]);
    const problem = expectProblem(res, 409, 'insufficient-stock');
    expect(problem.errors).toEqual([expect.objectContaining({ productId: scarce.id, requested: 3, available: 1 })]);
    expect(await stockOf(plenty.id)).toBe(10);
    expect(await stockOf(scarce.id)).toBe(1);
    expect(json(await h.call({ url: '/api/orders', headers: bearer(shopper.token) })).data).toEqual([]);
  });

  it('answers 422 for unknown products and for mixed currencies', async () => {
    const shopper = await registerAndLogin(h.call);
    const inr = await createProduct(h.call, admin, { currency: 'INR' });
    const usd = await createProduct(h.call, admin, { currency: 'USD' });
    const unknown = expectProblem(await order(shopper.token, [{ productId: 'ghost', quantity: 1 }]), 422, 'unknown-products');
    expect(unknown.errors).toEqual([expect.objectContaining({ productId: 'ghost' })]);
    expectProblem(
      await order(shopper.token, [
        { productId: inr.id, quantity: 1 },
        { productId: usd.id, quantity: 1 },
      ]),
      422,
      'mixed-currency',
    );
    expect(await stockOf(inr.id)).toBe(5);
    expect(await stockOf(usd.id)).toBe(5);
  });

  it('merges lines for the same product', async () => {
    const shopper = await registerAndLogin(h.call);
    const p = await createProduct(h.call, admin, { priceCents: 100 });
    const res = await order(shopper.token, [
      { productId: p.id, quantity: 1 },
      { productId: p.id, quantity: 2 },
    ]);
    expect(res.statusCode).toBe(201);
    expect(json(res).items).toEqual([expect.objectContaining({ productId: p.id, quantity: 3, lineTotalCents: 300 })]);
    expect(await stockOf(p.id)).toBe(2);
  });
});

describe('Idempotency-Key', () => {
  it('replays the original order for the same key and body, and 422s another body', async () => {
    const shopper = await registerAndLogin(h.call);
    const p = await createProduct(h.call, admin, { stock: 5 });
    const key = { 'idempotency-key': 'checkout-42' };

    const first = await order(shopper.token, [{ productId: p.id, quantity: 2 }], key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const nudges = h.nudges();

    const again = await order(shopper.token, [{ productId: p.id, quantity: 2 }], key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again)).toEqual(json(first));
    expect(h.nudges()).toBe(nudges);
    expect(await stockOf(p.id)).toBe(3);

    expectProblem(await order(shopper.token, [{ productId: p.id, quantity: 1 }], key), 422, 'idempotency-key-reused');
    expect(json(await h.call({ url: '/api/orders', headers: bearer(shopper.token) })).data).toHaveLength(1);
  });

  it('rejects a malformed key', async () => {
    const shopper = await registerAndLogin(h.call);
    expectProblem(
      await order(shopper.token, [{ productId: 'x', quantity: 1 }], { 'idempotency-key': 'x'.repeat(200) }),
      400,
      'validation-failed',
    );
  });
});

describe('reading orders', () => {
  it("hides another shopper's order behind 404 but shows it to an admin", async () => {
    const owner = await registerAndLogin(h.call);
    const stranger = await registerAndLogin(h.call);
    const p = await createProduct(h.call, admin);
    const placed = json(await order(owner.token, [{ productId: p.id, quantity: 1 }]));
    expectProblem(await h.call({ url: `/api/orders/${placed.id}`, headers: bearer(stranger.token) }), 404, 'order-not-found');
    expectProblem(await h.call({ url: '/api/orders/no-such-order', headers: bearer(owner.token) }), 404, 'order-not-found');
    const asAdmin = await h.call({ url: `/api/orders/${placed.id}`, headers: bearer(admin) });
    expect(asAdmin.statusCode).toBe(200);
    expect(json(asAdmin).id).toBe(placed.id);
  });

  it('lists only my orders, newest first, with cursor paging', async () => {
    const me = await registerAndLogin(h.call);
    const other = await registerAndLogin(h.call);
    const p = await createProduct(h.call, admin, { stock: 100 });
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push(json(await order(me.token, [{ productId: p.id, quantity: 1 }])).id);
    await order(other.token, [{ productId: p.id, quantity: 1 }]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; nextCursor: string | null } = json(
        await h.call({ url: `/api/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer(me.token) }),
      );
      seen.push(...page.data.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...mine].sort());
  });
});

describe('bad input', () => {
  let token: string;
  beforeAll(async () => {
    token = (await registerAndLogin(h.call)).token;
  });
  const post = (rawBody: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    h.call({ method: 'POST', url: '/api/orders', headers: { ...bearer(token), ...headers }, rawBody });

  it.each([
    ['no items', { items: [] }, 'body.items'],
    ['zero quantity', { items: [{ productId: 'p', quantity: 0 }] }, 'body.items.0.quantity'],
    ['fractional quantity', { items: [{ productId: 'p', quantity: 1.5 }] }, 'body.items.0.quantity'],
    ['huge quantity', { items: [{ productId: 'p', quantity: 1001 }] }, 'body.items.0.quantity'],
    ['string quantity', { items: [{ productId: 'p', quantity: '2' }] }, 'body.items.0.quantity'],
    ['operator as product id', { items: [{ productId: { $gt: '' }, quantity: 1 }] }, 'body.items.0.productId'],
    ['too many lines', { items: Array.from({ length: 101 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) }, 'body.items'],
    ['items not an array', { items: { $ne: null } }, 'body.items'],
  ])('%s -> 400 naming the field', async (_name, body, path) => {
    const problem = expectProblem(await post(JSON.stringify(body)), 400, 'validation-failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('malformed JSON -> 400', async () => {
    expectProblem(await post('{"items": ['), 400, 'malformed-json');
  });

  it('a body over 64 KiB -> 413', async () => {
    expectProblem(await post(JSON.stringify({ items: [], pad: 'x'.repeat(70 * 1024) })), 413, 'body-too-large');
  });

  it('a non-JSON content type -> 415', async () => {
    expectProblem(await post('items=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type');
  });

  it('an unknown route -> 404 problem', async () => {
    expectProblem(await h.call({ url: '/api/nope' }), 404, 'route-not-found');
  });
});
