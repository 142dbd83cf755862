/**
 * `pnpm bench:ab-flags --orders N --rounds R --variant 'NAME=node flags' --variant ...`: node flags
 * compared A/B/A/B on one running stack, so that load from other work on the machine falls on every
 * variant alike. Each round, for each variant: the order service restarts with the variant's
 * node flags, N orders are posted with processing stopped (order service CPU µs per order,
 * orders/s, peak RSS), then the processing service restarts with the same flags and drains them
 * (processing CPU µs per order, peak RSS of the process, emails counted at the sink). Prints the
 * median of each figure per variant. CPU per order is read from /proc, not from wall time.
 * A variant's flags replace the stack's own (NODE_HEAP_FLAGS in dev-stack) on the services' command
 * line: `default=` is node's defaults, e.g. Node 24's 32 MB semi-spaces.
 */
import { DEFAULT_TIER_MIX } from '@oms/contracts';
import { NODE_HEAP_FLAGS } from '@oms/dev-stack';
import { parseArgs, positiveInt } from '../args';
import { createShoppers, OmsClient } from '../client';
import { LOAD_ADMIN, sinkCount, startLoadStack } from '../embedded-stack';
import { cpuMs, peakRssMb } from '../rss';
import { measureIntake } from './intake';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[ab ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

// Long by design: one experiment script read top to bottom (stack, rounds x variants, table), restoring the flags at the end.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { orders: { type: 'string' }, rounds: { type: 'string' }, variant: { type: 'string', multiple: true } },
  });
  const orders = positiveInt('orders', values.orders, 5_000);
  const rounds = positiveInt('rounds', values.rounds, 3);
  const variants = (values.variant ?? ['default=']).map((v) => {
    const i = v.indexOf('=');
    return {
      name: v.slice(0, i),
      flags: v
        .slice(i + 1)
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    };
  });
  const ls = await startLoadStack({
    mail: 'sink',
    orderEnv: { OUTBOX_MAX_QUEUE_DEPTH: '0', ACCESS_TOKEN_TTL_SEC: '86400' },
    processingEnv: { SMTP_POOL_SIZE: '16' },
  });
  const { stack } = ls;
  const order = stack.part('order');
  const processing = stack.part('processing');
  // The services' command line without the stack's own node flags: each variant puts its own there.
  const baseArgs = new Map([order, processing].map((p) => [p, p.spec.args.filter((a) => !NODE_HEAP_FLAGS.includes(a))]));
  const results = new Map(variants.map((v) => [v.name, [] as Record<string, number>[]]));
  try {
    const client = new OmsClient(stack.urls.order);
    const admin = (await client.login(LOAD_ADMIN.email, LOAD_ADMIN.password)).token;
    const productId = await client.createProduct(admin, 1_000_000_000);
    const shoppers = await createShoppers(client, admin, 50, DEFAULT_TIER_MIX);
    const intake = (amount: number) =>
      measureIntake({ url: stack.urls.order, path: '/api/orders', shoppers, productId, amount, connections: 50, mix: DEFAULT_TIER_MIX });
    let emailsExpected = await sinkCount(ls.sink!.statsUrl);
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        for (const p of [order, processing]) {
          p.spec.args = [...v.flags, ...baseArgs.get(p)!];
          await p.stop();
        }
        await order.start();
        const warm = Math.min(2_000, Math.max(200, orders / 5));
        await intake(warm);
        const c0 = cpuMs(order.pid!)!;
        const res = await intake(orders);
        const orderCpu = ((cpuMs(order.pid!)! - c0) * 1000) / orders;
        const orderRss = peakRssMb(order.pid!)!;
        emailsExpected += warm + orders;
        await processing.start();
        const p0 = cpuMs(processing.pid!)!;
        const deadline = Date.now() + 600_000;
        while ((await sinkCount(ls.sink!.statsUrl)) < emailsExpected) {
          if (Date.now() > deadline) throw new Error('drain did not finish in 10 min');
          await sleep(200);
        }
        const row = {
          'order µs/order': Math.round(orderCpu),
          'intake orders/s': Math.round(res.ordersPerSec),
          'intake p99 ms': res.p99Ms,
          'order RSS MB': Math.round(orderRss),
          'processing µs/order': Math.round(((cpuMs(processing.pid!)! - p0) * 1000) / (warm + orders)),
          'processing RSS MB': Math.round(peakRssMb(processing.pid!)!),
        };
        results.get(v.name)!.push(row);
        log(`round ${r + 1} ${v.name}: ${JSON.stringify(row)}`);
      }
    }
    const table = variants.map((v) => {
      const rows = results.get(v.name)!;
      return {
        variant: v.name,
        flags: v.flags.join(' ') || '(none)',
        ...Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, median(rows.map((x) => x[k]!))])),
      };
    });
    console.table(table);
  } finally {
    for (const p of [order, processing]) p.spec.args = [...NODE_HEAP_FLAGS, ...baseArgs.get(p)!];
    await ls.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
