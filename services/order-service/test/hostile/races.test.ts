/**
 * Races over real sockets: many shoppers fighting for the last units, and one client firing the
 * same Idempotency-Key many times at once.
 *
 * The idempotency contract under concurrency: every request carrying the same key and body gets
 * 201 with the SAME order; the one that created it has no `idempotent-replayed` header, all others
 * have `idempotent-replayed: true`. Order placement is serialised by the store (an IMMEDIATE
 * SQLite transaction; in MongoDB the unique (userId, idempotencyKey) index turns the loser's
 * insert into a replay), so a loser never sees a half-made order and never needs a 409.
 * The same key with a different body is 422 idempotency-key-reused.
 */
import { adminLogin, bearer, createProduct, json, registerAndLogin, startHarness, type Harness } from '../http/harness';

jest.setTimeout(120_000);

let h: Harness;
let admin: string;

beforeAll(async () => {
  h = await startHarness({ env: { RATE_LIMIT_ORDERS_PER_MIN: '0', RATE_LIMIT_READS_PER_MIN: '0', RATE_LIMIT_LOGIN_PER_MIN: '0' } });
  admin = (await adminLogin(h.call)).token;
});
afterAll(() => h.close());

const stockOf = async (id: string) => json(await h.call({ url: `/api/products/${id}` })).stock as number;
const placeOne = (token: string, productId: string, headers: Record<string, string> = {}, quantity = 1) =>
  h.call({ method: 'POST', url: '/api/orders', headers: { ...bearer(token), ...headers }, payload: { items: [{ productId, quantity }] } });

it('200 concurrent single-unit orders for 10 units: exactly 10 accepted, 190 refused with 409, stock 0', async () => {
  const product = await createProduct(h.call, admin, { stock: 10 });
  const shoppers = await Promise.all(Array.from({ length: 20 }, (_, i) => registerAndLogin(h.call, `racer${i}`)));

  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => placeOne(shoppers[i % shoppers.length]!.token, product.id)));

  const byStatus = new Map<number, number>();
  for (const a of answers) byStatus.set(a.statusCode, (byStatus.get(a.statusCode) ?? 0) + 1);
  console.log(`race for 10 units: ${JSON.stringify(Object.fromEntries(byStatus))} (status -> answers)`);
  expect(Object.fromEntries(byStatus)).toEqual({ 201: 10, 409: 190 });
  for (const refused of answers.filter((a) => a.statusCode === 409)) {
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(refused)).toMatchObject({ code: 'insufficient-stock' });
  }
  expect(await stockOf(product.id)).toBe(0);
  const accepted = new Set(answers.filter((a) => a.statusCode === 201).map((a) => json(a).id));
  expect(accepted.size).toBe(10);
  // Exactly 10 events wait in the outbox for this product: no order without its event, none twice.
  const events = (await h.store.listOutbox({ status: 'pending', limit: 10_000 })).filter((m) => accepted.has(m.aggregateId));
  expect(events).toHaveLength(10);
});

it('20 concurrent requests with one Idempotency-Key: one order, every answer names it, stock taken once', async () => {
  const product = await createProduct(h.call, admin, { stock: 100 });
  const shopper = await registerAndLogin(h.call, 'impatient');
  const key = 'double-click-3f1c';

  const answers = await Promise.all(Array.from({ length: 20 }, () => placeOne(shopper.token, product.id, { 'idempotency-key': key }, 2)));

  expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201));
  const ids = new Set(answers.map((a) => json(a).id));
  expect(ids.size).toBe(1);
  expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
  expect(await stockOf(product.id)).toBe(98);
  const mine = json(await h.call({ url: '/api/orders', headers: bearer(shopper.token) })).data;
  expect(mine).toHaveLength(1);
});

it('the same key with different bodies at once: one order, the other bodies get 422', async () => {
  const product = await createProduct(h.call, admin, { stock: 100 });
  const shopper = await registerAndLogin(h.call, 'fickle');
  const key = 'fickle-key-1';

  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) => placeOne(shopper.token, product.id, { 'idempotency-key': key }, 1 + (i % 2))),
  );

  const created = answers.filter((a) => a.statusCode === 201);
  const conflicts = answers.filter((a) => a.statusCode === 422);
  expect(created.length + conflicts.length).toBe(10);
  expect(new Set(created.map((a) => json(a).id)).size).toBe(1);
  const winner = json(created[0]!);
  // Every 201 carries the winner's quantity; every 422 was the other body.
  expect(created.length).toBe(5);
  for (const c of conflicts) expect(json(c)).toMatchObject({ code: 'idempotency-key-reused' });
  expect(await stockOf(product.id)).toBe(100 - winner.items[0].quantity);
});
