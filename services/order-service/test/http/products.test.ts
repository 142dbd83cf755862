import { adminLogin, bearer, createProduct, expectProblem, json, startHarness, type Harness } from './harness';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  admin = (await adminLogin(h.call)).token;
});
afterAll(() => h.close());

describe('catalog', () => {
  it('creates, reads and patches a product', async () => {
    const created = await createProduct(h.call, admin, { sku: 'PHONE-1', name: 'Phone', priceCents: 100_000, currency: 'INR', stock: 5 });
    expect(created).toEqual({ id: expect.any(String), sku: 'PHONE-1', name: 'Phone', priceCents: 100_000, currency: 'INR', stock: 5 });

    const got = await h.call({ url: `/api/products/${created.id}` });
    expect(got.statusCode).toBe(200);
    expect(json(got)).toEqual(created);

    const patched = await h.call({
      method: 'PATCH',
      url: `/api/admin/products/${created.id}`,
      headers: bearer(admin),
      payload: { stock: 9, name: 'Phone 2' },
    });
    expect(patched.statusCode).toBe(200);
    expect(json(patched)).toEqual({ ...created, stock: 9, name: 'Phone 2' });
  });

  it('refuses a duplicate sku with 409 and bad fields with 400', async () => {
    await createProduct(h.call, admin, { sku: 'DUP-1' });
    const dup = await h.call({
      method: 'POST',
      url: '/api/admin/products',
      headers: bearer(admin),
      payload: { sku: 'DUP-1', name: 'x', priceCents: 1, currency: 'INR', stock: 1 },
    });
    expectProblem(dup, 409, 'sku-taken');
    const bad = await h.call({
      method: 'POST',
      url: '/api/admin/products',
      headers: bearer(admin),
      payload: { sku: 'B', name: 'x', priceCents: 1.5, currency: 'rupees', stock: -1 },
    });
    const body = expectProblem(bad, 400, 'validation-failed');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.currency', 'body.priceCents', 'body.stock']);
    expectProblem(
      await h.call({ method: 'PATCH', url: '/api/admin/products/x', headers: bearer(admin), payload: {} }),
      400,
      'validation-failed',
    );
    // Well-formed but not a currency: refused on create and on change.
    const unknown = expectProblem(
      await h.call({
        method: 'POST',
        url: '/api/admin/products',
        headers: bearer(admin),
        payload: { sku: 'ZZ-1', name: 'x', priceCents: 1, currency: 'ZZZ', stock: 1 },
      }),
      400,
      'validation-failed',
    );
    expect(unknown.errors).toEqual([expect.objectContaining({ path: 'body.currency', message: 'not an ISO 4217 currency code' })]);
    expectProblem(
      await h.call({ method: 'PATCH', url: '/api/admin/products/x', headers: bearer(admin), payload: { currency: 'ZZZ' } }),
      400,
      'validation-failed',
    );
  });

  it('answers 404 problems for unknown products', async () => {
    expectProblem(await h.call({ url: '/api/products/does-not-exist' }), 404, 'product-not-found');
    expectProblem(
      await h.call({ method: 'PATCH', url: '/api/admin/products/does-not-exist', headers: bearer(admin), payload: { stock: 1 } }),
      404,
      'product-not-found',
    );
  });

  it('pages the catalog with an opaque cursor, newest first', async () => {
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await createProduct(h.call, admin, { sku: `PAGE-${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await h.call({ url: `/api/products?limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const page = json<{ data: { id: string }[]; nextCursor: string | null }>(res);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 5)).toEqual([...mine].reverse());
  });

  it('rejects garbage cursors and limits with 400', async () => {
    const res = await h.call({ url: '/api/products?cursor=not-a-cursor' });
    expect(expectProblem(res, 400, 'invalid-cursor').errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    expectProblem(await h.call({ url: '/api/products?limit=0' }), 400, 'validation-failed');
    expectProblem(await h.call({ url: '/api/products?limit=abc' }), 400, 'validation-failed');
  });
});
