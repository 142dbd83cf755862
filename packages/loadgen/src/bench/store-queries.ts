/**
 * `pnpm bench:queries [--orders 1000000]` — the order store's hot queries against a backlog of
 * generated orders, in-process (no HTTP, no broker): bulk generation time, then p50/p99 of admin
 * search (a text no order has, the product every order has, a shopper's name, an amount, a
 * two-letter text), an admin page, the outbox statistics behind readiness, the queue monitor and
 * /metrics, a relay claim + mark-published of 100 rows, and a batch of 10 status changes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_TIER_MIX } from '@oms/contracts';
import { percentile } from '@oms/platform';
import { BULK_CHUNK, BulkOrderFactory, openSqliteOrderStore } from '@oms/order-service/bench';
import { parseArgs, positiveInt } from '../args';

const RUNS = 200;

async function timed(name: string, fn: () => Promise<unknown>): Promise<string> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => percentile(ms, p)!.toFixed(2);
  return `${name.padEnd(50)} p50 ${at(50).padStart(8)} ms   p99 ${at(99).padStart(8)} ms`;
}

// Long by design: a benchmark script timing each store query in turn, read top to bottom.
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { orders: { type: 'string' } } });
  const total = positiveInt('orders', values.orders, 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-queries-'));
  try {
    const store = await openSqliteOrderStore(path.join(dir, 'order-service.sqlite'));
    const factory = await BulkOrderFactory.prepare(store, { taxRateBps: 1800, mix: DEFAULT_TIER_MIX, now: new Date() });
    const started = performance.now();
    let sample = null;
    for (let n = 0; n < total; n += BULK_CHUNK) {
      const { orders, outbox } = factory.chunk(n, Math.min(BULK_CHUNK, total - n), new Date());
      await store.loadTest.bulkInsertOrders(orders, outbox);
      sample ??= orders[0]!;
    }
    if (!sample) throw new Error('--orders must be at least 1');
    const genMs = performance.now() - started;
    process.stdout.write(
      `generated ${total.toLocaleString('en')} orders in ${(genMs / 1000).toFixed(1)} s (${Math.round((total * 1000) / genMs).toLocaleString('en')}/s)\n`,
    );
    const page = { limit: 50, after: null };
    const lease = () => {
      const now = new Date();
      return { limit: 100, now, leaseUntil: new Date(now.getTime() + 30_000) };
    };
    let toProcess = (await store.searchOrders({ ...page, status: 'PENDING' })).items;
    const lines = [
      await timed('search q: a text no order has', () => store.searchOrders({ ...page, q: 'no such product' })),
      await timed('search q: the product every order has', () => store.searchOrders({ ...page, q: sample.items[0]!.name })),
      await timed("search q: a shopper's name", () => store.searchOrders({ ...page, q: sample.username })),
      await timed('search q: an amount', () => store.searchOrders({ ...page, q: String(sample.totalCents) })),
      await timed('search q: two letters no order has', () => store.searchOrders({ ...page, q: 'zq' })),
      await timed('admin page, status PENDING', () => store.searchOrders({ ...page, status: 'PENDING' })),
      await timed('outbox statistics (readiness, queues, /metrics)', () => store.outboxStats(new Date())),
      await timed('relay: claim 100 + mark published', async () => {
        const batch = await store.claimOutboxBatch(lease());
        await store.markOutboxPublished(
          batch.map((m) => m.id),
          new Date(),
        );
      }),
      await timed('status application, batch of 10', async () => {
        if (toProcess.length < 10) toProcess = (await store.searchOrders({ ...page, status: 'PENDING' })).items;
        const batch = toProcess.splice(0, 10);
        await store.applyStatusChanges(
          batch.map((o) => ({
            orderId: o.id,
            to: 'PROCESSED',
            from: ['PENDING', 'PROCESSING'],
            processedAt: new Date(),
            processingTimeMs: 5,
            failureReason: null,
          })),
        );
      }),
      await timed('admin stats (processing times, 24 h)', () =>
        store.recentProcessingTimes({ since: new Date(Date.now() - 86_400_000), limit: 10_000 }),
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:queries: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
