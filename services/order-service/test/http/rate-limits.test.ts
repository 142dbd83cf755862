import { adminLogin, bearer, createProduct, expectProblem, json, registerAndLogin, startHarness, type Harness, type Res } from './harness';

const harnesses: Harness[] = [];
async function harness(env: Record<string, string> = {}) {
  const h = await startHarness({ env });
  harnesses.push(h);
  return h;
}
afterAll(() => Promise.all(harnesses.map((h) => h.close())));

function expectRateLimited(res: Res, limit: number) {
  const body = expectProblem(res, 429, 'rate-limited');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(res.headers['ratelimit-limit']).toBe(String(limit));
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
  return body;
}

describe('order placement limit (default 5 per minute per user)', () => {
  it('answers the 6th POST /api/orders with a 429 problem for that user only, taking no stock', async () => {
    const h = await harness();
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: 100 });
    const [alice, bob] = [await registerAndLogin(h.call), await registerAndLogin(h.call)];
    const order = (token: string) =>
      h.call({ method: 'POST', url: '/api/orders', headers: bearer(token), payload: { items: [{ productId: product.id, quantity: 1 }] } });

    for (let i = 1; i <= 5; i++) {
      const res = await order(alice.token);
      expect(res.statusCode).toBe(201);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
    }
    const sixth = await order(alice.token);
    expect(expectRateLimited(sixth, 5).detail).toMatch(/order placement limit of 5 per minute/);

    expect((await order(bob.token)).statusCode).toBe(201);
    const stock = json(await h.call({ url: `/api/products/${product.id}` })).stock;
    expect(stock).toBe(100 - 5 - 1);
  });

  it('holds across replicas on one database: 12 concurrent orders through two apps, exactly 5 accepted', async () => {
    const one = await harness();
    const two = await harness({ SQLITE_PATH: one.config.SQLITE_PATH });
    const admin = (await adminLogin(one.call)).token;
    const product = await createProduct(one.call, admin, { stock: 100 });
    const shopper = await registerAndLogin(one.call);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? two : one).call({
          method: 'POST',
          url: '/api/orders',
          headers: bearer(shopper.token),
          payload: { items: [{ productId: product.id, quantity: 1 }] },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([...Array(5).fill(201), ...Array(7).fill(429)]);
    expect(json(await two.call({ url: `/api/products/${product.id}` })).stock).toBe(95);
  }, 30_000);

  it('0 turns the limit off', async () => {
    const h = await harness({ RATE_LIMIT_ORDERS_PER_MIN: '0' });
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: 100 });
    const shopper = await registerAndLogin(h.call);
    for (let i = 0; i < 8; i++) {
      const res = await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(shopper.token),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers).not.toHaveProperty('ratelimit-limit');
    }
  });
});

describe('read limit', () => {
  it('counts every order read of a user together, per user, and leaves the catalog and admin reads alone', async () => {
    const h = await harness({ RATE_LIMIT_READS_PER_MIN: '3', RATE_LIMIT_ORDERS_PER_MIN: '0' });
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: 10 });
    const [alice, bob] = [await registerAndLogin(h.call), await registerAndLogin(h.call)];
    const placed = json(
      await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(alice.token),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      }),
    );

    expect((await h.call({ url: '/api/orders', headers: bearer(alice.token) })).statusCode).toBe(200);
    expect((await h.call({ url: `/api/orders/${placed.id}`, headers: bearer(alice.token) })).statusCode).toBe(200);
    expect((await h.call({ url: '/api/orders?limit=1', headers: bearer(alice.token) })).statusCode).toBe(200);
    expectRateLimited(await h.call({ url: `/api/orders/${placed.id}`, headers: bearer(alice.token) }), 3);

    expect((await h.call({ url: '/api/orders', headers: bearer(bob.token) })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await h.call({ url: '/api/products' })).statusCode).toBe(200);
      expect((await h.call({ url: '/api/admin/stats', headers: bearer(admin) })).statusCode).toBe(200);
    }
    // Placing orders has its own quota (off here), not the read one.
    expect(
      (
        await h.call({
          method: 'POST',
          url: '/api/orders',
          headers: bearer(alice.token),
          payload: { items: [{ productId: product.id, quantity: 1 }] },
        })
      ).statusCode,
    ).toBe(201);
  });

  it('does not count the live order stream (one long-lived request) against the read quota', async () => {
    const h = await harness({ RATE_LIMIT_READS_PER_MIN: '1' });
    const alice = await registerAndLogin(h.call);
    expect((await h.call({ url: '/api/orders', headers: bearer(alice.token) })).statusCode).toBe(200);
    expectRateLimited(await h.call({ url: '/api/orders', headers: bearer(alice.token) }), 1);

    const abort = new AbortController();
    const stream = await fetch(`${h.baseUrl}/api/orders/stream`, { headers: bearer(alice.token), signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    abort.abort();
  });
});

describe('login limit', () => {
  it('limits attempts per account, whatever the password, without touching other accounts', async () => {
    const h = await harness({ RATE_LIMIT_LOGIN_PER_MIN: '2' });
    const [victim, other] = [await registerAndLogin(h.call), await registerAndLogin(h.call)]; // one login each
    const login = (email: string, password: string) => h.call({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

    expectProblem(await login(victim.email, 'wrong password 1'), 401, 'invalid-credentials');
    // Counted by normalised email, so changing its case does not get around the limit.
    expectRateLimited(await login(victim.email.toUpperCase(), victim.password), 2);
    expect((await login(other.email, other.password)).statusCode).toBe(200);
  });

  it('limits attempts per IP over all accounts (default 5 x the per-account figure)', async () => {
    const h = await harness({ RATE_LIMIT_LOGIN_PER_MIN: '1' });
    expect(h.config.RATE_LIMIT_LOGIN_IP_PER_MIN).toBe(5);
    const login = (n: number) =>
      h.call({ method: 'POST', url: '/api/auth/login', payload: { email: `nobody${n}@example.test`, password: 'guess' } });
    for (let n = 1; n <= 5; n++) expectProblem(await login(n), 401, 'invalid-credentials');
    expectRateLimited(await login(6), 5);
  });

  it('0 turns each login limit off on its own', async () => {
    const h = await harness({ RATE_LIMIT_LOGIN_PER_MIN: '0', RATE_LIMIT_LOGIN_IP_PER_MIN: '2' });
    const shopper = await registerAndLogin(h.call); // 1st from this IP
    expect(
      (await h.call({ method: 'POST', url: '/api/auth/login', payload: { email: shopper.email, password: shopper.password } })).statusCode,
    ).toBe(200);
    expectRateLimited(
      await h.call({ method: 'POST', url: '/api/auth/login', payload: { email: shopper.email, password: shopper.password } }),
      2,
    );

    const open = await harness({ RATE_LIMIT_LOGIN_PER_MIN: '0' });
    expect(open.config.RATE_LIMIT_LOGIN_IP_PER_MIN).toBe(0);
    for (let n = 0; n < 12; n++) {
      expectProblem(
        await open.call({ method: 'POST', url: '/api/auth/login', payload: { email: 'x@example.test', password: 'guess' } }),
        401,
        'invalid-credentials',
      );
    }
  });
});

describe('registration and refresh limits per client address', () => {
  const register = (h: Harness, n: number, headers: Record<string, string> = {}) =>
    h.call({
      method: 'POST',
      url: '/api/auth/register',
      headers,
      payload: { username: `signup${n}`, email: `signup${n}@example.test`, password: 'long enough 1' },
    });

  it('answers the 4th registration from one address in a minute with 429; X-Forwarded-For is ignored without TRUST_PROXY', async () => {
    const h = await harness({ RATE_LIMIT_REGISTER_PER_MIN: '3' });
    for (let n = 1; n <= 3; n++) expect((await register(h, n)).statusCode).toBe(201);
    expectRateLimited(await register(h, 4), 3);
    // A client cannot pick the address it is counted under.
    expectRateLimited(await register(h, 5, { 'x-forwarded-for': '203.0.113.7' }), 3);
  });

  it('with TRUST_PROXY naming the proxy, counts each forwarded client on its own', async () => {
    const h = await harness({ RATE_LIMIT_REGISTER_PER_MIN: '1', TRUST_PROXY: '127.0.0.1' });
    expect((await register(h, 11, { 'x-forwarded-for': '203.0.113.1' })).statusCode).toBe(201);
    expectRateLimited(await register(h, 12, { 'x-forwarded-for': '203.0.113.1' }), 1);
    expect((await register(h, 13, { 'x-forwarded-for': '203.0.113.2' })).statusCode).toBe(201);
    // Only the hop the proxy added counts: a client-supplied address further left is ignored.
    expectRateLimited(await register(h, 14, { 'x-forwarded-for': '198.51.100.9, 203.0.113.2' }), 1);
  });

  it('with a hop count, takes the address that many hops back', async () => {
    const h = await harness({ RATE_LIMIT_REGISTER_PER_MIN: '1', TRUST_PROXY: '1' });
    expect((await register(h, 21, { 'x-forwarded-for': '203.0.113.5' })).statusCode).toBe(201);
    expect((await register(h, 22, { 'x-forwarded-for': '203.0.113.6' })).statusCode).toBe(201);
    expectRateLimited(await register(h, 23, { 'x-forwarded-for': '203.0.113.6' }), 1);
  });

  it('limits token refreshes per address', async () => {
    const h = await harness({ RATE_LIMIT_REFRESH_PER_MIN: '2' });
    const refresh = (token: string) => h.call({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: token } });
    expect((await refresh('not-a-token-1')).statusCode).toBe(401);
    expect((await refresh('not-a-token-2')).statusCode).toBe(401);
    expectRateLimited(await refresh('not-a-token-3'), 2);
  });
});
