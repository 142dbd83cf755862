/**
 * Findings of the production-hardening review, one block each: passwords that can change (and an
 * admin that follows ADMIN_PASSWORD), merged quantities, load-test endpoints in production, the
 * reserved load-test domain, and control characters in names.
 */
import { seedAdmin } from '../../src/application/identity/auth';
import { PlaceOrderBody } from '../../src/http/routes/orders';
import {
  ADMIN,
  adminLogin,
  bearer,
  createProduct,
  expectProblem,
  json,
  login,
  PRODUCTION_SECRET,
  registerAndLogin,
  startHarness,
  type Harness,
} from './harness';

jest.setTimeout(60_000);

const harnesses: Harness[] = [];
async function harness(opts: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(opts);
  harnesses.push(h);
  return h;
}
afterAll(() => Promise.all(harnesses.map((h) => h.close())));

describe('POST /api/auth/password', () => {
  it('changes the password with the current one and ends every refresh token of the user', async () => {
    const h = await harness();
    const s = await registerAndLogin(h.call, 'changer');
    const other = await login(h.call, s.email, s.password); // a second login (another device)
    const change = (body: object) => h.call({ method: 'POST', url: '/api/auth/password', headers: bearer(s.token), payload: body });

    expectProblem(await change({ currentPassword: 'not it', newPassword: 'brand new secret 2' }), 403, 'wrong-password');
    expect((await change({ currentPassword: s.password, newPassword: 'brand new secret 2' })).statusCode).toBe(204);

    const loginWith = (password: string) => h.call({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password } });
    expectProblem(await loginWith(s.password), 401, 'invalid-credentials');
    expect((await loginWith('brand new secret 2')).statusCode).toBe(200);
    for (const refreshToken of [s.refreshToken, other.refreshToken]) {
      expectProblem(await h.call({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } }), 401, 'invalid-refresh-token');
    }
  });

  it('needs a token and a valid new password', async () => {
    const h = await harness();
    const s = await registerAndLogin(h.call, 'changer2');
    expectProblem(
      await h.call({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'x', newPassword: 'long enough 1' } }),
      401,
      'missing-token',
    );
    expectProblem(
      await h.call({
        method: 'POST',
        url: '/api/auth/password',
        headers: bearer(s.token),
        payload: { currentPassword: s.password, newPassword: 'short' },
      }),
      400,
      'validation-failed',
    );
  });

  it('leaves the configured admin to ADMIN_PASSWORD, which the admin takes at the next start', async () => {
    const h = await harness();
    const admin = await adminLogin(h.call);
    expectProblem(
      await h.call({
        method: 'POST',
        url: '/api/auth/password',
        headers: bearer(admin.token),
        payload: { currentPassword: ADMIN.password, newPassword: 'whatever else 1' },
      }),
      409,
      'password-set-by-config',
    );

    // A restart with a changed ADMIN_PASSWORD: the new one works, the old one and the old sessions do not.
    const deps = { store: h.store, now: () => new Date() };
    expect(await seedAdmin(deps, { email: ADMIN.email, password: 'the rotated admin password' })).toBe('password-updated');
    expect(await seedAdmin(deps, { email: ADMIN.email, password: 'the rotated admin password' })).toBe('unchanged');
    expect((await h.call({ method: 'POST', url: '/api/auth/login', payload: ADMIN })).statusCode).toBe(401);
    expect(
      (await h.call({ method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email, password: 'the rotated admin password' } }))
        .statusCode,
    ).toBe(200);
    expectProblem(
      await h.call({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: admin.refreshToken } }),
      401,
      'invalid-refresh-token',
    );
  });
});

describe('merged order lines', () => {
  it('refuses lines of one product adding up past the per-line cap (100 x 1000), taking no stock', async () => {
    const h = await harness({ env: { RATE_LIMIT_ORDERS_PER_MIN: '0' } });
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: 1_000_000 });
    const shopper = await registerAndLogin(h.call, 'merger');
    const place = (items: object[]) => h.call({ method: 'POST', url: '/api/orders', headers: bearer(shopper.token), payload: { items } });

    const body = expectProblem(await place(Array(100).fill({ productId: product.id, quantity: 1000 })), 400, 'validation-failed');
    expect(JSON.stringify(body.errors)).toContain('add up to more than 1000');
    expectProblem(
      await place([
        { productId: product.id, quantity: 600 },
        { productId: product.id, quantity: 401 },
      ]),
      400,
      'validation-failed',
    );
    const ok = await place([
      { productId: product.id, quantity: 600 },
      { productId: product.id, quantity: 400 },
    ]);
    expect(ok.statusCode).toBe(201);
    expect(json(ok).items).toEqual([expect.objectContaining({ quantity: 1000 })]);
    expect(json(await h.call({ url: `/api/products/${product.id}` })).stock).toBe(1_000_000 - 1000);
  });

  it('reports one error per product that goes over, at the line where it does', () => {
    const result = PlaceOrderBody.safeParse({
      items: [
        { productId: 'a', quantity: 999 },
        { productId: 'b', quantity: 5 },
        { productId: 'a', quantity: 2 },
        { productId: 'a', quantity: 1 },
      ],
    });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['items', 2, 'quantity']]);
  });
});

describe('load-test endpoints', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET };

  it('are not mounted in production unless LOAD_TEST_ENDPOINTS=true', async () => {
    const h = await harness({ env: production });
    const admin = (await adminLogin(h.call)).token;
    expect((await h.call({ url: '/api/admin/load-runs/current', headers: bearer(admin) })).statusCode).toBe(404);
    expect((await h.call({ method: 'POST', url: '/api/admin/load-runs/reset', headers: bearer(admin) })).statusCode).toBe(404);
  });

  it('when enabled: admin only, and starting/stopping runs is rate-limited', async () => {
    const h = await harness({
      env: { ...production, LOAD_TEST_ENDPOINTS: 'true', BENCH_NAIVE_PUBLISH: 'true' },
      deps: { publishInline: async () => {} },
    });
    const admin = (await adminLogin(h.call)).token;
    const shopper = await registerAndLogin(h.call, 'curious');
    expectProblem(await h.call({ method: 'POST', url: '/api/admin/load-runs/reset', headers: bearer(shopper.token) }), 403, 'admin-only');
    expectProblem(
      await h.call({
        method: 'POST',
        url: '/api/bench/orders-naive',
        headers: bearer(shopper.token),
        payload: { items: [{ productId: 'x', quantity: 1 }] },
      }),
      403,
      'admin-only',
    );
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await h.call({ method: 'POST', url: '/api/admin/load-runs/reset', headers: bearer(admin) })).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expectProblem(await h.call({ method: 'POST', url: '/api/admin/load-runs/reset', headers: bearer(admin) }), 429, 'rate-limited');
  });

  it('the naive-publish route counts against the order placement limit', async () => {
    const h = await harness({
      env: { RATE_LIMIT_ORDERS_PER_MIN: '1', BENCH_NAIVE_PUBLISH: 'true' },
      deps: { publishInline: async () => {} },
    });
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin);
    const naive = () =>
      h.call({
        method: 'POST',
        url: '/api/bench/orders-naive',
        headers: bearer(admin),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      });
    expect((await naive()).statusCode).toBe(201);
    expectProblem(await naive(), 429, 'rate-limited');
  });
});

describe('registration', () => {
  const signup = (h: Harness, email: string, headers: Record<string, string> = {}) =>
    h.call({
      method: 'POST',
      url: '/api/auth/register',
      headers,
      payload: { username: `u${Math.random().toString(36).slice(2, 10)}`, email, password: 'long enough 1' },
    });

  it('refuses the load generator reserved domain to anyone but an admin', async () => {
    const h = await harness();
    expectProblem(await signup(h, 'shopper-1@loadgen.invalid'), 422, 'reserved-email-domain');
    expectProblem(await signup(h, 'Shopper-2@LOADGEN.INVALID'), 422, 'reserved-email-domain');
    const shopper = await registerAndLogin(h.call, 'sneaky');
    expectProblem(await signup(h, 'shopper-3@loadgen.invalid', bearer(shopper.token)), 422, 'reserved-email-domain');
    const admin = (await adminLogin(h.call)).token;
    expect((await signup(h, 'shopper-4@loadgen.invalid', bearer(admin))).statusCode).toBe(201);
  });

  it.each([
    ['a CR/LF', 'bob\r\nadmin'],
    ['NUL', 'bob\u0000'],
    ['a right-to-left override', 'bob\u202eevil'],
    ['a tab', 'bo\tb'],
  ])('refuses a username with %s', async (_what, username) => {
    const h = harnesses[0] ?? (await harness());
    const res = await h.call({
      method: 'POST',
      url: '/api/auth/register',
      payload: { username, email: `${Date.now()}${Math.random()}@example.test`, password: 'long enough 1' },
    });
    expectProblem(res, 400, 'validation-failed');
  });
});

describe('product names', () => {
  it.each([
    ['CR/LF', 'Kettle\r\nX-Injected: 1'],
    ['NUL', 'Kettle\u0000'],
    ['ESC (terminal control)', 'Kettle\u001b[31m'],
    ['a right-to-left override', 'Kettle \u202egnp.exe'],
    ['a bidi isolate', 'Kettle \u2067x\u2069'],
    ['a C1 control', 'Kettle\u0085'],
  ])('refuses %s in a name or sku, on create and on change', async (_what, text) => {
    const h = harnesses[0] ?? (await harness());
    const admin = (await adminLogin(h.call)).token;
    const create = (over: object) =>
      h.call({
        method: 'POST',
        url: '/api/admin/products',
        headers: bearer(admin),
        payload: { sku: `S-${Math.random()}`, name: 'Kettle', priceCents: 1, currency: 'INR', stock: 1, ...over },
      });
    expectProblem(await create({ name: text }), 400, 'validation-failed');
    expectProblem(await create({ sku: text }), 400, 'validation-failed');
    const product = json(await create({}));
    expectProblem(
      await h.call({ method: 'PATCH', url: `/api/admin/products/${product.id}`, headers: bearer(admin), payload: { name: text } }),
      400,
      'validation-failed',
    );
  });

  it('keeps letters of any script, emoji sequences and punctuation', async () => {
    const h = harnesses[0] ?? (await harness());
    const admin = (await adminLogin(h.call)).token;
    const name = 'Kupfer-Kessel “Deluxe” — ताँबे का 👩‍🍳 (1,5 l)';
    const res = await h.call({
      method: 'POST',
      url: '/api/admin/products',
      headers: bearer(admin),
      payload: { sku: 'KET-DELUXE', name, priceCents: 1, currency: 'INR', stock: 1 },
    });
    expect(res.statusCode).toBe(201);
    expect(json(res).name).toBe(name);
  });
});
