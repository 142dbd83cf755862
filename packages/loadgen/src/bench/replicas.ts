/**
 * `pnpm bench:replicas --orders N [--out FILE]`: does coordination between replicas cost
 * throughput? Three runs of the embedded stack (free ports, temp data dir, mail into the
 * discarding SMTP sink), each measuring intake (N orders over HTTP, 50 connections spread over the
 * order replicas, processing stopped) and end to end (processing started, until all N are
 * PROCESSED in the order database):
 *   1. 1 replica of each service, rate limits off (as `pnpm bench`);
 *   2. 1 replica, the order limit on but out of reach: the cost of the database rate-limit counter;
 *   3. 2 replicas of each service, the limit on: the cost of sharing feed, counters and leases.
 * On 2 cores a second replica cannot add throughput; the point is that it does not collapse it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_TIER_MIX } from '@oms/contracts';
import { sleep } from '@oms/platform';
import { parseArgs, positiveInt } from '../args';
import { createShoppers, OmsClient } from '../client';
import { LOAD_ADMIN, sinkCount, startLoadStack } from '../embedded-stack';
import { measureIntake, type IntakeResult } from './intake';

const CONNECTIONS = 50;
const SHOPPERS = 50;
const mix = DEFAULT_TIER_MIX;
const log = (msg: string) => process.stderr.write(`[bench:replicas ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

interface Variant {
  name: string;
  replicas: number;
  ordersPerMin: string;
}

const VARIANTS: Variant[] = [
  { name: '1 replica, rate limits off', replicas: 1, ordersPerMin: '0' },
  { name: '1 replica, order limit on (database counter)', replicas: 1, ordersPerMin: '1000000000' },
  { name: '2 replicas of each, order limit on', replicas: 2, ordersPerMin: '1000000000' },
];

/** The intake of all order replicas at once, connections and orders split evenly; rate over the slowest. */
async function intakeAcross(
  urls: string[],
  opts: Omit<Parameters<typeof measureIntake>[0], 'url' | 'connections'> & { connections: number },
): Promise<IntakeResult> {
  const parts = await Promise.all(
    urls.map((url, i) =>
      measureIntake({
        ...opts,
        url,
        connections: opts.connections / urls.length,
        amount: Math.floor(opts.amount / urls.length) + (i < opts.amount % urls.length ? 1 : 0),
      }),
    ),
  );
  const orders = parts.reduce((n, p) => n + p.orders, 0);
  const seconds = Math.max(...parts.map((p) => p.seconds));
  return {
    orders,
    seconds,
    ordersPerSec: orders / seconds,
    p50Ms: Math.max(...parts.map((p) => p.p50Ms)),
    p99Ms: Math.max(...parts.map((p) => p.p99Ms)),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    non2xx: parts.reduce((n, p) => n + p.non2xx, 0),
  };
}

async function run(variant: Variant, orders: number): Promise<{ intake: IntakeResult; e2ePerSec: number }> {
  log(`${variant.name}: starting the stack`);
  const ls = await startLoadStack({
    mail: 'sink',
    replicas: variant.replicas,
    orderEnv: { RATE_LIMIT_ORDERS_PER_MIN: variant.ordersPerMin },
  });
  const { stack } = ls;
  const processing = stack.parts.filter((p) => p.name.startsWith('processing'));
  const db = new Database(path.join(ls.dataDir, 'order-service.sqlite'), { readonly: true });
  const processed = db.prepare("SELECT COUNT(*) FROM orders WHERE status = 'PROCESSED'").pluck();
  const settle = async (target: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while ((processed.get() as number) < target) {
      if (Date.now() > deadline)
        throw new Error(`${variant.name}: only ${String(processed.get())} of ${target} orders PROCESSED after ${timeoutMs} ms`);
      await sleep(50);
    }
  };
  try {
    const client = new OmsClient(stack.urls.order);
    const admin = (await client.login(LOAD_ADMIN.email, LOAD_ADMIN.password)).token;
    const productId = await client.createProduct(admin, 1_000_000_000);
    const shoppers = await createShoppers(client, admin, SHOPPERS, mix);
    const intakeOpts = { path: '/api/orders', shoppers, productId, connections: CONNECTIONS, mix };

    // Not counted: every replica runs warm (JIT-compiled) when measured.
    const warmUp = Math.min(2_000, Math.max(100, Math.floor(orders / 10)));
    await intakeAcross(stack.urls.orders, { ...intakeOpts, amount: warmUp });
    await settle(warmUp, 120_000);
    const emailsBefore = await sinkCount(ls.sink!.statsUrl);

    await Promise.all(processing.map((p) => p.stop()));
    const intake = await intakeAcross(stack.urls.orders, { ...intakeOpts, amount: orders });
    if (intake.orders !== orders)
      throw new Error(`${variant.name}: ${intake.orders} of ${orders} accepted (${intake.non2xx} non-2xx, ${intake.errors} errors)`);
    log(`${variant.name}: intake ${Math.round(intake.ordersPerSec)} orders/s, p99 ${intake.p99Ms} ms`);

    const started = performance.now();
    await Promise.all(processing.map((p) => p.start()));
    // A liveness deadline only: a machine busy with other work drains slowly.
    await settle(warmUp + orders, 600_000 + orders * 50);
    const e2ePerSec = (orders * 1000) / (performance.now() - started);
    const emails = (await sinkCount(ls.sink!.statsUrl)) - emailsBefore;
    if (emails < orders) throw new Error(`${variant.name}: ${emails} emails for ${orders} orders`);
    log(`${variant.name}: end to end ${Math.round(e2ePerSec)} orders/s (processing start to the last PROCESSED)`);
    return { intake, e2ePerSec };
  } finally {
    db.close();
    await ls.stop();
    fs.rmSync(ls.dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { orders: { type: 'string' }, out: { type: 'string' } } });
  const orders = positiveInt('orders', values.orders, 20_000);
  const load = os.loadavg()[0]!;
  if (load > 1) log(`load average is ${load.toFixed(1)} on ${os.cpus().length} cores: other work will skew the figures`);
  const results = [];
  for (const variant of VARIANTS) results.push({ ...variant, ...(await run(variant, orders)) });
  const [alone, limited, two] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const lines = [
    `| run | intake orders/s | intake p99 ms | end to end orders/s |`,
    `|---|---|---|---|`,
    ...results.map((r) => `| ${r.name} | ${Math.round(r.intake.ordersPerSec)} | ${r.intake.p99Ms} | ${Math.round(r.e2ePerSec)} |`),
    '',
    `rate-limit counter: intake ${ratio(limited.intake.ordersPerSec, alone.intake.ordersPerSec)}x, ` +
      `${(1e6 / limited.intake.ordersPerSec - 1e6 / alone.intake.ordersPerSec).toFixed(0)} µs more wall time per order`,
    `2 replicas vs 1 (limit on): intake ${ratio(two.intake.ordersPerSec, limited.intake.ordersPerSec)}x, end to end ${ratio(two.e2ePerSec, limited.e2ePerSec)}x (goal >= 0.9x)`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (values.out) {
    const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
    fs.writeFileSync(out, JSON.stringify({ orders, loadAvg1mAtStart: load, results }, null, 2));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:replicas failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
