/**
 * Graceful shutdown: SIGTERM while work is in flight.
 * - order service: requests already accepted are answered (no connection reset), orders they
 *   committed still travel on after the restart;
 * - processing service: it stops taking messages, finishes the ones in hand, exits 0, and nothing
 *   is lost or done twice because of it: exactly one email per order after a restart.
 */
import { waitFor } from '../../src';
import {
  ADMIN,
  mailsPerOrder,
  newProduct,
  newShopper,
  placeOrder,
  startFixture,
  waitUntilSettled,
  type Fixture,
  type Shopper,
} from './fixture';

jest.setTimeout(180_000);

let f: Fixture;
let shopper: Shopper;
let productId: string;
const placed: string[] = [];

beforeAll(async () => {
  f = await startFixture('graceful-shutdown');
  shopper = await newShopper(f.api, 'graceful');
  productId = await newProduct(f, 10_000);
});
afterAll(async () => {
  await f?.close();
});

/** Resolves with the exit code/signal of the next exit of a part. */
function nextExit(name: 'order' | 'processing'): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) =>
    f.stack.part(name).once('exit', (code: number | null, signal: string | null) => resolve({ code, signal })),
  );
}

/** One request, reporting a network failure as a value instead of throwing. */
async function attempt<T>(send: () => Promise<T>): Promise<T | { networkError: string }> {
  try {
    return await send();
  } catch (err) {
    return { networkError: String((err as Error & { cause?: unknown }).cause ?? err) };
  }
}

it('order service: SIGTERM lets accepted requests finish, then exits 0', async () => {
  // Logins hash with argon2 (tens of ms each, 4 at a time), so a burst of them keeps the service
  // busy for a while; orders ride along in the same burst.
  const logins = Array.from({ length: 16 }, () => attempt(() => f.api('POST', '/api/auth/login', { body: ADMIN })));
  const orders = Array.from({ length: 8 }, (_, i) =>
    attempt(() =>
      f.api('POST', '/api/orders', {
        token: shopper.token,
        body: { items: [{ productId, quantity: 1 }] },
        headers: { 'idempotency-key': `graceful-${i}` },
      }),
    ),
  );
  // SIGTERM as soon as the first answer is back: every request of the burst has been sent by then.
  await Promise.race([...logins, ...orders]);
  const exited = nextExit('order');
  await f.stack.part('order').kill('SIGTERM');
  const results = await Promise.all([...logins, ...orders]);

  const failures = results.filter((r) => 'networkError' in r);
  const statuses = results.filter((r): r is Exclude<typeof r, { networkError: string }> => !('networkError' in r)).map((r) => r.status);
  console.log(
    `order service SIGTERM: ${results.length} requests in flight -> statuses ${JSON.stringify(statuses)}; network errors ${failures.length}`,
  );
  expect(failures).toEqual([]);
  expect(statuses).toEqual([...logins.map(() => 200), ...orders.map(() => 201)]);
  expect(await exited).toEqual({ code: 0, signal: null });

  for (const r of results.slice(logins.length)) placed.push((r as { body: { id: string } }).body.id);
  await f.stack.part('order').restart();
  await waitUntilSettled(f.api, [shopper], placed.length, 60_000);
});

it('processing service: SIGTERM finishes the messages in hand; no email lost or sent twice', async () => {
  for (let i = 0; i < 40; i++) {
    const out = await placeOrder(f.api, shopper.token, [{ productId, quantity: 1 }]);
    expect(out.status).toBe(201);
    placed.push(out.orderId!);
  }
  // Stop it while it is working through the backlog.
  const before = (await mailsPerOrder(f)).size;
  await waitFor(
    'processing to be under way',
    () => mailsPerOrder(f),
    (m) => m.size > before,
    { timeoutMs: 30_000, intervalMs: 20 },
  );
  const exited = nextExit('processing');
  await f.stack.part('processing').kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });
  const mailedAtExit = (await mailsPerOrder(f)).size;
  // Messages it was holding when the signal came and still finished (timing decides how many: printed).
  const tail = f.stack.part('processing').tail(200);
  const finishedInShutdown = tail
    .slice(tail.findIndex((l) => l.includes('"shutting down"')))
    .filter((l) => l.includes('"order processed"')).length;

  await f.stack.part('processing').restart();
  const orders = await waitUntilSettled(f.api, [shopper], placed.length, 90_000);
  expect(orders.filter((o) => o.status !== 'PROCESSED')).toEqual([]);
  const mails = await mailsPerOrder(f);
  const counts = placed.map((id) => mails.get(id) ?? 0);
  console.log(
    `processing service SIGTERM: ${finishedInShutdown} messages in hand finished after the signal; ` +
      `${mailedAtExit}/${placed.length} orders mailed when it exited, ` +
      `${placed.length - mailedAtExit} after the restart; duplicates ${counts.filter((c) => c > 1).length}, missing ${counts.filter((c) => c === 0).length}`,
  );
  expect(counts).toEqual(placed.map(() => 1));
});
