/**
 * Hostile input against the real app over a real socket: property-based (fast-check) over every
 * request schema, then a fixed corpus of known-nasty requests. Whatever comes in, the answer is a
 * 4xx application/problem+json (or, for generated input that happens to be valid on a route that
 * accepts it, a normal 2xx), never a 5xx, and the stock of the product under attack never moves.
 *
 * HOSTILE_RUNS=<n> sets the runs per property (default 150; SOAK=1 -> 1000).
 */
import fc from 'fast-check';
import { adminLogin, bearer, createProduct, registerAndLogin, startHarness, type Harness } from '../http/harness';
import { problemViolation, rawRequest, type RawRequest, type RawResponse } from './raw-http';

jest.setTimeout(300_000);

const RUNS = Number(process.env.HOSTILE_RUNS ?? (process.env.SOAK === '1' ? 1000 : 150));
/** Login bodies of the right shape cost an argon2 verify each; fewer runs keep the suite quick. */
const LOGIN_RUNS = Math.max(10, Math.floor(RUNS / 3));

let h: Harness;
let base: URL;
let admin: string;
let shopper: { token: string; refreshToken: string };
let productId: string;
/** The product that generated PATCH bodies may legitimately change; never the one under watch. */
let victimId: string;
let stockBefore: number;
const tally = { requests: 0, serverErrors: 0, succeeded: 0 };
const violations: { label: string; request: string; violation: string }[] = [];

beforeAll(async () => {
  h = await startHarness({
    env: { RATE_LIMIT_ORDERS_PER_MIN: '0', RATE_LIMIT_READS_PER_MIN: '0', RATE_LIMIT_LOGIN_PER_MIN: '0' },
  });
  base = new URL(`http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`);
  admin = (await adminLogin(h.call)).token;
  shopper = await registerAndLogin(h.call, 'mallory');
  productId = (await createProduct(h.call, admin, { stock: 50 })).id;
  victimId = (await createProduct(h.call, admin, { stock: 7 })).id;
  stockBefore = await stockOf(productId);
});

afterAll(async () => {
  console.log(
    `hostile input: ${tally.requests} requests, ${tally.serverErrors} answered 5xx, ` +
      `${tally.succeeded} accepted as valid (generated input that happened to be valid on routes that accept it)`,
  );
  await h?.close();
});

async function stockOf(id: string): Promise<number> {
  return (await rawRequest(base, { path: `/api/products/${id}` })).json.stock;
}

async function send(req: RawRequest): Promise<RawResponse> {
  tally.requests++;
  const res = await rawRequest(base, req);
  if (res.status >= 500) tally.serverErrors++;
  if (res.status < 300) tally.succeeded++;
  return res;
}

const describeRequest = (req: RawRequest) =>
  `${req.method ?? 'GET'} ${req.path.slice(0, 120)} ${req.body === undefined ? '' : String(req.body).slice(0, 200)}`;

function problemOk(label: string, req: RawRequest, res: RawResponse): boolean {
  const violation = problemViolation(res);
  if (violation) violations.push({ label, request: describeRequest(req), violation });
  return violation === null;
}

/** Refusal required: a 4xx problem. Violations are collected so one run reports all of them. */
async function refused(label: string, req: RawRequest): Promise<boolean> {
  return problemOk(label, req, await send(req));
}

/** Either accepted (valid by chance) or refused as a 4xx problem; never a 5xx. */
async function handled(label: string, req: RawRequest): Promise<boolean> {
  const res = await send(req);
  return (res.status >= 200 && res.status < 300) || problemOk(label, req, res);
}

const json = (headers: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...headers });
const post = (path: string, body: unknown, headers: Record<string, string> = {}): RawRequest => ({
  method: 'POST',
  path,
  headers: json(headers),
  body: JSON.stringify(body) ?? 'null',
});

// ---- generators

const operator = fc.constantFrom<unknown>(
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  { $in: [1, 2] },
  { $exists: true },
);
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    '..\\..\\windows',
    '%00',
    'NaN',
    'Infinity',
    '-1',
    '1e309',
    '__proto__',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '\uD800',
    'a'.repeat(5_000),
  ),
);
const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 0.5, -0, 1.000001, 1001, 2 ** 31, 2 ** 53, Number.MAX_VALUE, 1e-7, -(2 ** 31)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  nastyString,
  nastyNumber,
  operator,
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
);
/** An object with (some of) the right keys, each holding something hostile. */
const shaped = (keys: string[]) => fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] });
const validQuantity = (q: unknown) => typeof q === 'number' && Number.isInteger(q) && q >= 1 && q <= 1000;
const invalidQuantity = hostileValue.filter((q) => !validQuantity(q));
const idSegment = fc.oneof(
  // Non-empty: /api/orders/ is the list route. Lone surrogates cannot be percent-encoded at all.
  nastyString.filter((s) => s.length > 0 && !/[\uD800-\uDFFF]/.test(s)).map((s) => encodeURIComponent(s)),
  fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..', '%00', 'x%00y', '%2F', '%252e%252e', 'a'.repeat(65), '%E2%80%AE', '%FF'),
);
const queryValue = fc.oneof(
  fc.string(),
  fc.integer().map(String),
  fc.constantFrom('-1', '0', '101', '1e3', 'NaN', '[]', '{"$gt":""}', '..%2f', '\u0000', 'PROCESSED', '2024-13-45', 'a'.repeat(600)),
);
const queryKey = fc.oneof(
  fc.constantFrom('cursor', 'limit', 'status', 'from', 'to', 'q', 'cursor[$gt]', 'limit[]', '__proto__', 'constructor'),
  fc.string(),
);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString());

const check = (prop: fc.IAsyncProperty<any>, numRuns = RUNS) => fc.assert(prop, { numRuns, endOnFailure: true });
const expectNoViolations = () => expect(violations.splice(0)).toEqual([]);

// ---- properties over every request schema

describe('property-based: every request schema', () => {
  afterEach(expectNoViolations);

  it('register', () =>
    check(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped(['username', 'email', 'password'])), (body) =>
        refused('register', post('/api/auth/register', body)),
      ),
    ));

  it('login', () =>
    check(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped(['email', 'password'])), (body) => refused('login', post('/api/auth/login', body))),
      LOGIN_RUNS,
    ));

  it('refresh and logout', () =>
    check(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped(['refreshToken'])), async (body) => {
        const refresh = await refused('refresh', post('/api/auth/refresh', body));
        // Logout answers 204 to anything well-formed (unknown tokens are ignored on purpose).
        return refresh && (await handled('logout', post('/api/auth/logout', body)));
      }),
    ));

  it('products create (admin)', () =>
    check(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          // The currency can never be a valid ISO code here, so no generated product is valid.
          fc
            .tuple(
              shaped(['sku', 'name', 'priceCents', 'stock']),
              hostileValue.filter((c) => !(typeof c === 'string' && /^[A-Z]{3}$/.test(c))),
            )
            .map(([rest, currency]) => ({ ...rest, currency })),
        ),
        (body) => refused('product create', post('/api/admin/products', body, bearer(admin))),
      ),
    ));

  it('products patch (admin), with hostile ids too', () =>
    check(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped(['name', 'priceCents', 'currency', 'stock'])), fc.option(idSegment), (body, id) =>
        handled('product patch', { ...post(`/api/admin/products/${id ?? victimId}`, body, bearer(admin)), method: 'PATCH' }),
      ),
    ));

  it('orders create: hostile bodies, hostile quantities of a real product, hostile Idempotency-Keys', async () => {
    const line = fc.record({
      productId: fc.oneof(fc.constant(productId), nastyString, operator),
      quantity: invalidQuantity,
    });
    await check(
      fc.asyncProperty(
        fc.oneof(fc.jsonValue(), shaped(['items']), fc.record({ items: fc.array(line, { minLength: 1, maxLength: 5 }) })),
        (body) => refused('order create', post('/api/orders', body, bearer(shopper.token))),
      ),
    );
    const visible = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 40,
    });
    const badKey = fc.oneof(
      fc.tuple(visible, fc.constantFrom(' ', '\t', '\u00e9', '\u00ff'), visible).map((parts) => parts.join('')),
      visible.map((s) => s.repeat(Math.ceil(129 / s.length))),
    );
    await check(
      fc.asyncProperty(badKey, (key) =>
        refused(
          'idempotency key',
          post('/api/orders', { items: [{ productId, quantity: 1 }] }, { ...bearer(shopper.token), 'idempotency-key': key }),
        ),
      ),
    );
  });

  it('list query parameters (shopper orders, catalog, admin orders)', () =>
    check(
      fc.asyncProperty(query, async (q) => {
        const a = await handled('orders list', { path: `/api/orders?${q}`, headers: bearer(shopper.token) });
        const b = await handled('products list', { path: `/api/products?${q}` });
        const c = await handled('admin orders', { path: `/api/admin/orders?${q}`, headers: bearer(admin) });
        return a && b && c;
      }),
    ));

  it('ids in paths', () =>
    check(
      fc.asyncProperty(idSegment, async (id) => {
        const a = await refused('order by id', { path: `/api/orders/${id}`, headers: bearer(shopper.token) });
        const b = await refused('product by id', { path: `/api/products/${id}` });
        return a && b;
      }),
    ));
});

// ---- fixed corpus

describe('fixed corpus', () => {
  afterEach(expectNoViolations);

  const order = (items: unknown, headers: Record<string, string> = {}) =>
    post('/api/orders', { items }, { ...bearer(shopper.token), ...headers });
  const rawOrder = (body: string, headers: Record<string, string> = json()): RawRequest => ({
    method: 'POST',
    path: '/api/orders',
    headers: { ...bearer(shopper.token), ...headers },
    body,
  });

  it('broken JSON', async () => {
    const bodies = [
      '{',
      '{"items":[',
      '{"items": NaN}',
      '{"items": Infinity}',
      "{'items': []}",
      '{"items":[]}}',
      '\u0000',
      '\uFEFF{"items":[]}',
      'nul',
      '[',
      '"',
      '',
    ];
    for (const body of bodies) await refused(`broken JSON ${JSON.stringify(body)}`, rawOrder(body));
  });

  it('wrong content types', async () => {
    const body = JSON.stringify({ items: [{ productId, quantity: 1 }] });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/jsonx',
      'image/png',
    ]) {
      await refused(`content-type ${type}`, rawOrder(body, { 'content-type': type }));
    }
    await refused('no content-type', rawOrder(body, {}));
    await refused('form login', {
      method: 'POST',
      path: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.c&password=x',
    });
  });

  it('wrong types and impossible quantities', async () => {
    for (const items of [null, {}, 'items', 42, true, [], [null], [42], [[]], [{}], [{ productId }], [{ quantity: 1 }]]) {
      await refused(`items ${JSON.stringify(items)}`, order(items));
    }
    for (const quantity of [
      -1,
      0,
      0.5,
      1.5,
      1e-7,
      1001,
      2 ** 31,
      2 ** 53,
      1e308,
      -0.0001,
      '1',
      '1.0',
      'NaN',
      'Infinity',
      null,
      true,
      [1],
      { $gt: 0 },
    ]) {
      await refused(`quantity ${JSON.stringify(quantity)}`, order([{ productId, quantity }]));
    }
    await refused('quantity 1e999 (JSON Infinity)', rawOrder(`{"items":[{"productId":"${productId}","quantity":1e999}]}`));
    await refused('quantity -1e999', rawOrder(`{"items":[{"productId":"${productId}","quantity":-1e999}]}`));
    // Merged lines must respect the per-line maximum as well: 600 + 600 of one product.
    const merged = await send(
      order([
        { productId, quantity: 600 },
        { productId, quantity: 600 },
      ]),
    );
    expect([400, 409, 422]).toContain(merged.status);
    expect(problemViolation(merged)).toBeNull();
  });

  it('too many lines, and bodies over the limit (413)', async () => {
    await refused('101 lines', order(Array.from({ length: 101 }, () => ({ productId, quantity: 1 }))));
    const tenThousand = order(Array.from({ length: 10_000 }, () => ({ productId, quantity: 1 })));
    const res = await send(tenThousand);
    expect(res.status).toBe(413);
    expect(problemViolation(res)).toBeNull();
    const huge = await send(post('/api/auth/register', { username: 'big', email: 'big@x.test', password: 'x'.repeat(200_000) }));
    expect(huge.status).toBe(413);
    expect(problemViolation(huge)).toBeNull();
  });

  it('query operators in every field of every body', async () => {
    const templates: [string, string, Record<string, unknown>, Record<string, string>][] = [
      ['POST', '/api/auth/register', { username: 'mallory2', email: 'm2@x.test', password: 'long-password-1' }, {}],
      ['POST', '/api/auth/login', { email: 'm2@x.test', password: 'long-password-1' }, {}],
      ['POST', '/api/auth/refresh', { refreshToken: 'abc' }, {}],
      ['POST', '/api/admin/products', { sku: 'OP-1', name: 'Op', priceCents: 1, currency: 'INR', stock: 1 }, bearer(admin)],
      ['PATCH', `/api/admin/products/${victimId}`, { name: 'Op', priceCents: 1, currency: 'INR', stock: 1 }, bearer(admin)],
      ['POST', '/api/orders', { items: [{ productId, quantity: 1 }] }, bearer(shopper.token)],
    ];
    const ops: unknown[] = [{ $gt: '' }, { $ne: null }, { $where: '1' }, { $regex: '.*' }, { $in: [productId] }];
    for (const [method, path, body, headers] of templates) {
      for (const field of Object.keys(body)) {
        for (const op of ops) {
          await refused(`${path} ${field}=${JSON.stringify(op)}`, { ...post(path, { ...body, [field]: op }, headers), method });
        }
      }
    }
    for (const op of ops) {
      await refused(`order productId=${JSON.stringify(op)}`, order([{ productId: op, quantity: 1 }]));
      await refused(`order quantity=${JSON.stringify(op)}`, order([{ productId, quantity: op }]));
    }
    for (const q of ['cursor[$gt]=', 'limit[$gt]=0', 'status[$ne]=x', 'q[$regex]=.*', 'cursor=%7B%22%24gt%22%3A%22%22%7D']) {
      const res = await send({ path: `/api/orders?${q}`, headers: bearer(shopper.token) });
      // Unknown keys are ignored (200), known keys with operator-looking text are refused (400).
      if (res.status !== 200) expect(problemViolation(res)).toBeNull();
      else expect(res.json.data).toEqual([]);
    }
  });

  it('path traversal, NUL bytes and junk in ids', async () => {
    const ids = [
      '..%2F..%2Fetc%2Fpasswd',
      '..%5C..%5Cwindows',
      '%2e%2e%2f',
      '%00',
      'abc%00def',
      '%0d%0aSet-Cookie:x=1',
      '%E2%80%AE',
      'a'.repeat(65),
      'a'.repeat(101),
      '%',
      '%zz',
      '%E0%A4%A',
    ];
    for (const id of ids) {
      await refused(`GET order ${id}`, { path: `/api/orders/${id}`, headers: bearer(shopper.token) });
      await refused(`GET product ${id}`, { path: `/api/products/${id}` });
      await refused(`PATCH product ${id}`, { ...post(`/api/admin/products/${id}`, { stock: 0 }, bearer(admin)), method: 'PATCH' });
    }
    await refused('dot segments', { path: `/api/products/../../../etc/passwd` });
  });

  it('bad cursors', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const cursors = [
      'abc',
      '!!!',
      b64('not json'),
      b64('[]'),
      b64('{"t":"2024-01-01T00:00:00.000Z"}'),
      b64('{"t":"yesterday","i":"x"}'),
      b64('{"t":"2024-01-01T00:00:00.000Z","i":"x","extra":1}'),
      b64('{"t":"2024-01-01T00:00:00.000Z","i":{"$gt":""}}'),
      `${b64('{"t":"2024-01-01T00:00:00.000Z","i":"x"}')}==`,
      'a'.repeat(600),
      '%00',
    ];
    for (const c of cursors) {
      await refused(`orders cursor ${c.slice(0, 40)}`, { path: `/api/orders?cursor=${c}`, headers: bearer(shopper.token) });
      await refused(`products cursor ${c.slice(0, 40)}`, { path: `/api/products?cursor=${c}` });
    }
  });

  it('very long headers and idempotency keys', async () => {
    await refused('long bearer', { path: '/api/orders', headers: { authorization: `Bearer ${'a'.repeat(8_000)}` } });
    await refused('long idempotency key', order([{ productId, quantity: 1 }], { 'idempotency-key': 'k'.repeat(10_000) }));
    await refused('idempotency key 129', order([{ productId, quantity: 1 }], { 'idempotency-key': 'k'.repeat(129) }));
    // Past Node's 16 KiB header limit the HTTP parser itself refuses the request.
    await refused('headers over 16 KiB', { path: '/api/products', headers: { 'x-junk': 'a'.repeat(20_000) } });
  });

  it('prototype-pollution keys', async () => {
    const line = `{"productId":"${productId}","quantity":1}`;
    const bodies = [
      `{"items":[${line}],"__proto__":{"role":"admin"}}`,
      `{"items":[${line}],"constructor":{"prototype":{"polluted":true}}}`,
      `{"items":[{"productId":"${productId}","quantity":1,"__proto__":{"quantity":5}}]}`,
      `{"__proto__":{"items":[${line}]}}`,
    ];
    for (const body of bodies) await refused(`pollution ${body.slice(0, 60)}`, rawOrder(body));
    await refused('pollution login', {
      method: 'POST',
      path: '/api/auth/login',
      headers: json(),
      body: '{"email":"a@b.c","password":"x","__proto__":{"isAdmin":true}}',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('unknown routes and methods', async () => {
    await refused('PUT orders', { ...order([{ productId, quantity: 1 }]), method: 'PUT' });
    await refused('DELETE product', { method: 'DELETE', path: `/api/products/${productId}`, headers: bearer(admin) });
    await refused('no such route', { path: '/api/../../etc/passwd' });
    // Methods Node's HTTP parser does not know never reach fastify: the parser's refusal is a problem too.
    await refused('unknown method', { method: 'FOO', path: '/api/products' });
  });
});

describe('after all of it', () => {
  it('the product under attack has exactly the stock it started with, and the attacker placed no order', async () => {
    expect(await stockOf(productId)).toBe(stockBefore);
    const mine = await rawRequest(base, { path: '/api/orders', headers: bearer(shopper.token) });
    expect(mine.json.data).toEqual([]);
    expect(tally.serverErrors).toBe(0);
  });
});
