/**
 * Crash consistency: shoppers place orders steadily while the order service and the processing
 * service are killed with SIGKILL (no chance to clean up) and restarted. Afterwards every order
 * that was acknowledged with 201 exists exactly once, reaches PROCESSED, has its confirmation
 * email, and the stock adds up to the unit.
 *
 * Default run: 4 shoppers for ~20 s, 4 kills. SOAK=1 runs 8 shoppers for ~2 min, a kill every 8 s.
 */
import type { Stack } from '@oms/dev-stack';
import {
  messageIdsPerOrder,
  newProduct,
  newShopper,
  ordersOf,
  placeOrder,
  sleep,
  startFixture,
  stockOf,
  waitUntilSettled,
  type Fixture,
  type Line,
  type Shopper,
} from './fixture';

const SOAK = process.env.SOAK === '1';
const SHOPPERS = SOAK ? 8 : 4;
const LOAD_MS = SOAK ? 120_000 : 20_000;
const INITIAL_STOCK = 1_000_000;

jest.setTimeout(SOAK ? 900_000 : 300_000);

let f: Fixture | undefined;
afterAll(async () => {
  await f?.close();
});

/**
 * The crash schedule, spread over the load window: kill -9 the order service, then the processing
 * service twice, then the order service again; each is restarted at once (restart resolves when
 * the service reports ready). SOAK repeats the cycle, one kill every 8 s, until the load ends.
 */
function runChaos(stack: Stack, loadMs: number, soak: boolean): { kills: string[]; done: Promise<void> } {
  const kills: string[] = [];
  const cycle = ['order', 'processing', 'processing', 'order'] as const;
  const gapMs = soak ? 8_000 : Math.floor(loadMs / (cycle.length + 1));
  const done = (async () => {
    const startedAt = Date.now();
    const endsAt = startedAt + loadMs;
    let next = startedAt;
    do {
      for (const name of cycle) {
        next += gapMs;
        await sleep(Math.max(0, next - Date.now())); // a slow restart can overrun the schedule
        if (Date.now() > endsAt - 1_000) return;
        const part = stack.part(name);
        await part.kill('SIGKILL');
        kills.push(name);
        await part.restart();
      }
    } while (soak && Date.now() < endsAt);
  })();
  return { kills, done };
}

interface Acked {
  orderId: string;
  shopper: Shopper;
  items: Line[];
}

it('loses no acknowledged order, duplicates none, and keeps stock exact across kill -9 of both services', async () => {
  f = await startFixture('crash-consistency');
  const { api } = f;
  const products = [await newProduct(f, INITIAL_STOCK), await newProduct(f, INITIAL_STOCK), await newProduct(f, INITIAL_STOCK)];
  const shoppers: Shopper[] = [];
  for (let i = 0; i < SHOPPERS; i++) shoppers.push(await newShopper(api, `crash${i}`));

  const acked: Acked[] = [];
  const refused: { status: number }[] = [];
  let retried = 0;
  let replayed = 0;
  const loadEndsAt = Date.now() + LOAD_MS;

  const shop = async (shopper: Shopper, n: number) => {
    for (let i = 0; Date.now() < loadEndsAt; i++) {
      // Deterministic but varied baskets: one or two lines, 1-3 units each.
      const items: Line[] = [{ productId: products[(n + i) % 3]!, quantity: 1 + (i % 3) }];
      if (i % 2 === 1) items.push({ productId: products[(n + i + 1) % 3]!, quantity: 1 });
      const out = await placeOrder(api, shopper.token, items);
      if (out.attempts > 1) retried++;
      if (out.replayed) replayed++;
      if (out.status === 201 && out.orderId) acked.push({ orderId: out.orderId, shopper, items });
      else refused.push({ status: out.status });
      await sleep(50);
    }
  };

  const chaos = runChaos(f.stack, LOAD_MS, SOAK);
  await Promise.all([...shoppers.map((s, n) => shop(s, n)), chaos.done]);

  expect(refused).toEqual([]); // stock is ample and the rate limits are lifted: every order must be accepted
  expect(acked.length).toBeGreaterThan(0);

  // Every acknowledged order exists once and reaches PROCESSED (work held by the killed processes
  // comes back after the outbox lease / the queue visibility timeout).
  const ackedIds = new Set(acked.map((a) => a.orderId));
  const settled = await waitUntilSettled(api, shoppers, ackedIds.size, 180_000);
  const stored = new Map(settled.map((o) => [o.id, o]));
  const lost = [...ackedIds].filter((id) => !stored.has(id));
  const unacknowledged = settled.filter((o) => !ackedIds.has(o.id));
  const notProcessed = settled.filter((o) => o.status !== 'PROCESSED');

  // Stock: initial minus exactly the acknowledged quantities.
  const taken = new Map<string, number>();
  for (const a of acked) for (const l of a.items) taken.set(l.productId, (taken.get(l.productId) ?? 0) + l.quantity);
  const stockDrift = await Promise.all(
    products.map(async (p) => ({ productId: p, drift: (await stockOf(api, p)) - (INITIAL_STOCK - (taken.get(p) ?? 0)) })),
  );

  // Mails: at least one per order; more than one is the documented duplicate-email window.
  const mails = await messageIdsPerOrder(f);
  const withoutMail = [...ackedIds].filter((id) => !mails.get(id)?.length);
  const duplicated = [...mails.values()].filter((ids) => ids.length > 1);
  const duplicateEmails = duplicated.reduce((n, ids) => n + ids.length - 1, 0);
  // A resend carries the original Message-ID (derived from the event id), so mail systems can fold it.
  const resendsWithOwnId = duplicated.filter((ids) => new Set(ids).size > 1).length;

  const orderCounts = await Promise.all(shoppers.map(async (s) => (await ordersOf(api, s)).length));
  console.log(
    [
      `crash consistency (${SHOPPERS} shoppers, ${LOAD_MS / 1000} s, kills: ${chaos.kills.join(', ')})`,
      `  orders acknowledged (201): ${ackedIds.size}; stored: ${orderCounts.reduce((a, b) => a + b, 0)}`,
      `  lost: ${lost.length}; duplicated (stored but never acknowledged): ${unacknowledged.length}; not PROCESSED: ${notProcessed.length}`,
      `  requests retried after a connection error: ${retried}; answered as idempotent replays: ${replayed}`,
      `  confirmation emails: ${[...mails.values()].reduce((a, ids) => a + ids.length, 0)}; orders without email: ${withoutMail.length}; ` +
        `duplicate emails: ${duplicateEmails} (resends with a different Message-ID: ${resendsWithOwnId})`,
      `  stock drift per product: ${stockDrift.map((d) => d.drift).join(', ')}`,
    ].join('\n'),
  );

  expect(acked).toHaveLength(ackedIds.size); // no two 201s named the same order for different keys
  expect(lost).toEqual([]);
  expect(unacknowledged).toEqual([]);
  expect(notProcessed).toEqual([]);
  expect(stockDrift.every((d) => d.drift === 0)).toBe(true);
  expect(withoutMail).toEqual([]);
  expect([...mails.values()].flat().filter((id) => !/^<?[0-9a-f-]{36}@processing-service>?$/.test(id))).toEqual([]);
  expect(resendsWithOwnId).toBe(0);
});
