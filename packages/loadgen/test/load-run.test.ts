/**
 * The load generator's and the bench's code paths on a real embedded stack (free ports, temp dir,
 * mail into the discarding sink): a bulk run and an api run to DONE, the naive baseline route,
 * history, cancel and reset. Checks what happened, never how fast.
 */
import { HttpError } from '@oms/api-client';
import { DEFAULT_TIER_MIX, tierAt, type LoadRunDto, type Tier } from '@oms/contracts';
import { measureIntake } from '../src/bench/intake';
import { createShoppers, OmsClient, postOrders, type Shopper } from '../src/client';
import { LOAD_ADMIN, sinkCount, startLoadStack, type LoadStack } from '../src/embedded-stack';

jest.setTimeout(240_000);

let ls: LoadStack;
let client: OmsClient;
let admin: string;

beforeAll(async () => {
  ls = await startLoadStack({ mail: 'sink', orderEnv: { BENCH_NAIVE_PUBLISH: 'true' } });
  client = new OmsClient(ls.stack.urls.order);
  admin = (await client.login(LOAD_ADMIN.email, LOAD_ADMIN.password)).token;
});

afterAll(async () => {
  await ls?.stop();
});

async function finished(timeoutMs = 120_000): Promise<LoadRunDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.currentRun(admin);
    if (['DONE', 'ABORTED', 'ERROR'].includes(run.phase)) return run;
    if (Date.now() > deadline) throw new Error(`run not finished: ${JSON.stringify(run.progress)} ${run.phase}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('load runs on a real stack', () => {
  let shoppers: Shopper[];
  let productId: string;

  it('generates 2,000 orders through the bulk path and sees every one processed, VIP and normal apart', async () => {
    const emailsBefore = await sinkCount(ls.sink!.statsUrl);
    const started = await client.startRun(admin, { mode: 'bulk', orders: 2000, until: 'processed' });
    expect(started.phase).toBe('GENERATING');
    await expect(client.startRun(admin, { mode: 'bulk', orders: 10 })).rejects.toMatchObject({ status: 409 });

    const run = await finished();
    expect(run.phase).toBe('DONE');
    expect(run.progress).toEqual({ target: 2000, generated: 2000, processed: 2000, failed: 0 });
    expect(run.processing.VIP).toMatchObject({ generated: 200, processed: 200, failed: 0 });
    expect(run.processing.NORMAL).toMatchObject({ generated: 1800, processed: 1800 });
    for (const w of [run.processing.VIP, run.processing.NORMAL]) {
      expect(w.durationMs).toBe(Date.parse(w.end!) - Date.parse(w.start!));
      expect(w.firstStartedAt).not.toBeNull();
    }
    expect(run.generation.durationMs).not.toBeNull();
    expect(run.latency.samples).toBe(2000);
    expect(run.latency.p99Ms!).toBeGreaterThanOrEqual(run.latency.p50Ms!);
    expect(run.etaMs).toBe(0);
    expect((await sinkCount(ls.sink!.statsUrl)) - emailsBefore).toBeGreaterThanOrEqual(2000);
  });

  it('counts api-mode orders by the tier an admin gave each shopper', async () => {
    productId = await client.createProduct(admin, 1_000_000);
    shoppers = await createShoppers(client, admin, 8, DEFAULT_TIER_MIX);
    expect(new Set(shoppers.map((s) => s.tier)).size).toBeGreaterThan(1);
    await client.startRun(admin, { mode: 'api', orders: 50, until: 'processed' });
    const posted = await postOrders({ client, shoppers, productId, total: 50, concurrency: 8, mix: DEFAULT_TIER_MIX });
    expect(posted).toEqual({ ok: 50, failed: 0 });

    const run = await finished();
    expect(run.phase).toBe('DONE');
    const vip = Array.from({ length: 50 }, (_, n) => tierAt(DEFAULT_TIER_MIX, n)).filter((t) => t === 'DIAMOND').length;
    expect(run.processing.VIP.generated).toBe(vip);
    expect(run.processing.NORMAL.generated).toBe(50 - vip);
    expect(run.progress.processed).toBe(50);
  });

  it('takes orders on both the outbox path and the naive baseline route (the latter from the admin only)', async () => {
    const asAdmin = [{ tier: 'BRONZE' as const, token: admin }];
    for (const path of ['/api/orders', '/api/bench/orders-naive']) {
      const r = await measureIntake({
        url: ls.stack.urls.order,
        path,
        shoppers: asAdmin,
        productId,
        amount: 20,
        connections: 4,
        mix: DEFAULT_TIER_MIX,
      });
      expect(r).toMatchObject({ orders: 20, non2xx: 0, errors: 0 });
    }
    const shopper = await measureIntake({
      url: ls.stack.urls.order,
      path: '/api/bench/orders-naive',
      shoppers,
      productId,
      amount: 4,
      connections: 1,
      mix: DEFAULT_TIER_MIX,
    });
    expect(shopper).toMatchObject({ orders: 0, non2xx: 4 });
  });

  it('cancels a run, keeps the history and wipes what was generated', async () => {
    await client.startRun(admin, { mode: 'bulk', orders: 500_000, until: 'generated' });
    const cancelled = await client.cancelRun(admin);
    expect(cancelled.phase).toBe('ABORTED');
    expect(cancelled.health).toBe('aborted');
    await expect(client.cancelRun(admin)).rejects.toMatchObject({ status: 409 });

    const history = await client.history(admin);
    expect(history.map((r) => [r.mode, r.phase])).toEqual([
      ['bulk', 'ABORTED'],
      ['api', 'DONE'],
      ['bulk', 'DONE'],
    ]);

    const { ordersDeleted } = await client.resetRuns(admin);
    expect(ordersDeleted).toBeGreaterThanOrEqual(2000 + 50 + 40);
    const after = await client.currentRun(admin).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(HttpError);
    expect((after as HttpError).status).toBe(404);
  });

  it('refuses a bad run request with a problem answer', async () => {
    await expect(client.startRun(admin, { mode: 'bulk', orders: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(client.setTier(admin, 'nobody', 'DIAMOND')).rejects.toMatchObject({ status: 404 });
    await expect(client.setTier(admin, 'x', 'PLATINUM' as Tier)).rejects.toMatchObject({ status: 400 });
    await expect(client.history(shoppers[0]!.token)).rejects.toMatchObject({ status: 403 });
  });
});
