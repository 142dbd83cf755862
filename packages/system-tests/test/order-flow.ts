/**
 * The backbone, end to end: both services, fauxqs and maildev as real processes on free ports,
 * driven over real HTTP. Walks register -> login -> admin product -> order -> outbox -> SQS ->
 * processing -> email -> status back to the order service, then the guard rails around it.
 * Run on SQLite by order-flow.test.ts and on MongoDB by order-flow.mongo.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { OrderDto, ProductDto } from '@oms/contracts';
import type { Stack } from '@oms/dev-stack';
import { apiClient, caughtMails, startSuiteStack, waitFor, type Api, type ApiResponse, type Json, type SuiteStack } from '../src';

const ADMIN = { email: 'e2e-admin@oms.test', password: 'E2e-admin-password-1' };

/**
 * `storeEnv`: extra env for both services (MONGODB_URI to run them on MongoDB; none = SQLite);
 * `processingEnv`: extra env for the processing service alone.
 */
export function describeOrderFlow(
  suiteName: string,
  storeEnv: Record<string, string> = {},
  processingEnv: Record<string, string> = {},
): void {
  let suite: SuiteStack | undefined;
  let stack: Stack | undefined;
  let api: Api;

  beforeAll(async () => {
    suite = await startSuiteStack(suiteName, {
      order: {
        ...storeEnv,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        // The test polls an order until it is processed; the per-user read limit would trip.
        RATE_LIMIT_READS_PER_MIN: '0',
        RATE_LIMIT_ORDERS_PER_MIN: '100',
      },
      processing: { ...storeEnv, ...processingEnv },
    });
    stack = suite.stack;
    api = apiClient(stack.urls.order);
  });

  afterAll(async () => {
    await suite?.close();
  });

  function expectProblem(res: ApiResponse<Json>, status: number) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), code: expect.any(String) });
  }

  async function registerAndLogin(name: string) {
    const email = `${name}-${randomUUID().slice(0, 8)}@shop.test`;
    const password = `Pw-${randomUUID()}`;
    const registered = await api('POST', '/api/auth/register', { body: { username: name, email, password } });
    expect(registered.status).toBe(201);
    expect(registered.body.user).toMatchObject({ id: expect.any(String), username: name, email, role: 'customer' });
    expect(JSON.stringify(registered.body)).not.toContain(password);
    const login = await api('POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
      user: { id: registered.body.user.id, email, role: 'customer' },
    });
    return { id: registered.body.user.id as string, email, password, token: login.body.accessToken as string };
  }

  describe('order placement to confirmation email, end to end', () => {
    let shopper: Awaited<ReturnType<typeof registerAndLogin>>;
    let adminToken: string;
    let product: ProductDto;
    let order: OrderDto;

    const stockOf = async (id: string) => {
      const res = await api('GET', `/api/products/${id}`, { token: shopper.token });
      expect(res.status).toBe(200);
      return ProductDto.parse(res.body).stock;
    };

    it('serves health on both services', async () => {
      expect((await api('GET', '/api/health')).status).toBe(200);
      expect((await api('GET', '/api/health/ready')).status).toBe(200);
      expect((await fetch(`${stack!.urls.processing}/processor/api/health`)).status).toBe(200);
    });

    it('registers and logs in a shopper, and logs in the seeded admin', async () => {
      shopper = await registerAndLogin('asha');
      const admin = await api('POST', '/api/auth/login', { body: ADMIN });
      expect(admin.status).toBe(200);
      expect(admin.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
      adminToken = admin.body.accessToken;
    });

    it('lets only the admin create a product', async () => {
      const body = { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Brass lamp', priceCents: 100_000, currency: 'INR', stock: 5 };
      expectProblem(await api('POST', '/api/admin/products', { token: shopper.token, body }), 403);
      const created = await api('POST', '/api/admin/products', { token: adminToken, body });
      expect(created.status).toBe(201);
      product = ProductDto.parse(created.body);
      expect(product).toMatchObject(body);
    });

    it('places an order: 201 PENDING with the price snapshot and 18% GST', async () => {
      const placedAt = Date.now();
      const res = await api('POST', '/api/orders', {
        token: shopper.token,
        body: { items: [{ productId: product.id, quantity: 2 }] },
      });
      expect(res.status).toBe(201);
      order = OrderDto.parse(res.body);
      expect(order).toMatchObject({
        userId: shopper.id,
        status: 'PENDING',
        currency: 'INR',
        subtotalCents: 200_000,
        taxCents: 36_000,
        totalCents: 236_000,
        items: [
          { productId: product.id, sku: product.sku, name: product.name, unitPriceCents: 100_000, quantity: 2, lineTotalCents: 200_000 },
        ],
      });

      const processed = await waitFor(
        `order ${order.id} to reach PROCESSED`,
        async () => OrderDto.parse((await api('GET', `/api/orders/${order.id}`, { token: shopper.token })).body),
        (o) => o.status === 'PROCESSED' || o.status === 'FAILED',
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      const observedMs = Date.now() - placedAt;
      expect(processed.status).toBe('PROCESSED');
      expect(Number.isNaN(Date.parse(processed.processedAt ?? ''))).toBe(false);
      expect(processed.processingTimeMs).toEqual(expect.any(Number));
      console.log(
        `order ${order.id}: placed -> PROCESSED observed by polling in ${observedMs} ms; ` +
          `service-reported processingTimeMs=${processed.processingTimeMs}`,
      );
    });

    it('deducted the stock', async () => {
      expect(await stockOf(product.id)).toBe(3);
    });

    it('sent one confirmation email to the shopper naming the order, with HTML and text parts', async () => {
      const mails = await waitFor(
        'the confirmation email',
        () => caughtMails(stack!.urls.mailWeb),
        (m) => m.length > 0,
        {
          timeoutMs: 5_000,
        },
      );
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail!.to.map((t) => t.address.toLowerCase())).toEqual([shopper.email]);
      expect(`${mail!.subject}\n${mail!.text}`).toContain(order.id);
      expect(mail!.html).toMatch(/<html/i);
      expect(mail!.text?.trim()).toBeTruthy();
    });

    it('refuses an order beyond the stock with 409 and leaves the stock alone', async () => {
      const res = await api('POST', '/api/orders', {
        token: shopper.token,
        body: { items: [{ productId: product.id, quantity: 4 }] },
      });
      expectProblem(res, 409);
      expect(JSON.stringify(res.body)).toContain(product.id);
      expect(await stockOf(product.id)).toBe(3);
    });

    it('answers a repeated Idempotency-Key with the original order and deducts once', async () => {
      const key = randomUUID();
      const body = { items: [{ productId: product.id, quantity: 1 }] };
      const first = await api('POST', '/api/orders', { token: shopper.token, body, headers: { 'idempotency-key': key } });
      const again = await api('POST', '/api/orders', { token: shopper.token, body, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      expect([200, 201]).toContain(again.status);
      expect(again.body.id).toBe(first.body.id);
      expect(await stockOf(product.id)).toBe(2);

      const otherBody = { items: [{ productId: product.id, quantity: 2 }] };
      const conflict = await api('POST', '/api/orders', { token: shopper.token, body: otherBody, headers: { 'idempotency-key': key } });
      expectProblem(conflict, 422);
      expect(await stockOf(product.id)).toBe(2);
    });

    it('rotates refresh tokens and revokes the family when an old one is replayed', async () => {
      const login = await api('POST', '/api/auth/login', { body: { email: shopper.email, password: shopper.password } });
      const original = login.body.refreshToken as string;
      const rotated = await api('POST', '/api/auth/refresh', { body: { refreshToken: original } });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refreshToken).toEqual(expect.any(String));
      expect(rotated.body.refreshToken).not.toBe(original);
      expect(rotated.body.accessToken).toEqual(expect.any(String));

      expectProblem(await api('POST', '/api/auth/refresh', { body: { refreshToken: original } }), 401);
      // The replay revoked the whole family, so the token issued by the first refresh is dead too.
      expectProblem(await api('POST', '/api/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } }), 401);
    });

    it('requires a token', async () => {
      expectProblem(await api('GET', `/api/orders/${order.id}`), 401);
      expectProblem(await api('POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }] } }), 401);
      expectProblem(await api('GET', `/api/orders/${order.id}`, { token: 'not-a-jwt' }), 401);
    });

    it("hides one shopper's order from another", async () => {
      const other = await registerAndLogin('bilal');
      const res = await api('GET', `/api/orders/${order.id}`, { token: other.token });
      expect([403, 404]).toContain(res.status);
      expectProblem(res, res.status);
      const list = await api('GET', '/api/orders', { token: other.token });
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([]);
    });
  });
}
