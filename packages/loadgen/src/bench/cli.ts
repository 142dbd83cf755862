/**
 * `pnpm bench --orders N --out FILE [--bulk-orders M] [--profile DIR]`: one run of the embedded stack (started here
 * on free ports, temp data dir, rate limits off, LOG_LEVEL=warn, mail delivered to a DISCARDING
 * SMTP sink) measuring, in order:
 *   1. the email stage alone (render + pooled SMTP into the sink), the ceiling for end to end;
 *      then a warm-up of up to 2,000 orders through the whole pipeline, not counted;
 *   2. intake: N orders over HTTP, 50 connections, processing paused (orders pile up in both queues);
 *   3. end to end: processing resumes and drains the N orders (VIP first?) with every email delivered;
 *   4. latency: placed -> PROCESSED at a fixed offered load of 500 orders/s;
 *   5. outbox overhead: the same intake through the naive "send right after commit" route (as the
 *      admin, whose only route it is), and the outbox intake again with the order service
 *      restarted on SQLITE_SYNCHRONOUS=NORMAL: what FULL (the default) costs;
 *   6. bulk generation of M orders (default 1,000,000) through the store's bulk path;
 * plus the peak RSS of each real node process. Writes FILE (JSON), FILE's .svg chart, and a table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { DEFAULT_TIER_MIX, type LoadRunDto } from '@oms/contracts';
import { sleep } from '@oms/platform';
import { createSqsClient } from '@oms/platform/sqs';
import { parseArgs, positiveInt } from '../args';
import { createShoppers, OmsClient, type postOrders } from '../client';
import { LOAD_ADMIN, loadStackParts, sinkCount, startLoadStack } from '../embedded-stack';
import { cpuOfParts, PeakRss } from '../rss';
import { lineChartSvg, ratesFromCounts } from './chart';
import { measureEmailStage } from './email-stage';
import { measureIntake } from './intake';
import { goalTable, type BenchReport } from './report';

const CONNECTIONS = 50;
const OFFERED_PER_SEC = 500;
const SHOPPERS = 50;
const SMTP_POOL_SIZE = 16;
const mix = DEFAULT_TIER_MIX;
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { orders: { type: 'string' }, out: { type: 'string' }, 'bulk-orders': { type: 'string' }, profile: { type: 'string' } },
  });
  // --profile DIR: each service process writes DIR/<service>/<pid>.cpuprofile when it exits.
  const profileDir = values.profile ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.profile) : null;
  const profiling = (service: string): Record<string, string> =>
    profileDir
      ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'profile-hook.cjs')}`, OMS_PROFILE_DIR: path.join(profileDir, service) }
      : {};
  const orders = positiveInt('orders', values.orders, 20_000);
  const bulkOrders = positiveInt('bulk-orders', values['bulk-orders'], 1_000_000);
  if (!values.out) throw new Error('usage: pnpm bench --orders N --out FILE [--bulk-orders M] [--profile DIR]');
  const outFile = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  const latencyOrders = Math.min(5_000, Math.max(500, Math.floor(orders / 4)));
  const baselineOrders = Math.min(orders, 10_000);
  // Not counted: the email stage and the services run warm (JIT-compiled) when measured.
  const warmUp = Math.min(2_000, Math.max(100, Math.floor(orders / 10)));
  const loadAvg1mAtStart = os.loadavg()[0]!;
  if (loadAvg1mAtStart > 1)
    log(`load average is ${loadAvg1mAtStart.toFixed(1)} on ${os.cpus().length} cores: other work will skew the figures`);

  log('starting the stack (mail goes to a discarding SMTP sink)...');
  const ls = await startLoadStack({
    mail: 'sink',
    // The intake and baseline phases pile every order up in the queues with processing paused:
    // the relay must not hold back at OUTBOX_MAX_QUEUE_DEPTH there.
    orderEnv: { BENCH_NAIVE_PUBLISH: 'true', OUTBOX_MAX_QUEUE_DEPTH: '0', ...profiling('order') },
    processingEnv: { SMTP_POOL_SIZE: String(SMTP_POOL_SIZE), ...profiling('processing') },
  });
  const { stack } = ls;
  const sinkUrl = ls.sink!.statsUrl;
  const processing = stack.part('processing');
  const rss = new PeakRss();
  const parts = () => loadStackParts(ls);
  const client = new OmsClient(stack.urls.order);
  // CPU µs per order of every process over one phase; the bench itself drives autocannon (its children are the stack).
  const cpuParts = () => [...parts(), { name: 'bench', pid: process.pid, alone: true }];
  const cpuPerOrder = (before: Record<string, number>, n: number) => {
    const after = cpuOfParts(cpuParts());
    return Object.fromEntries(Object.entries(after).map(([name, ms]) => [name, Math.round(((ms - (before[name] ?? 0)) * 1000) / n)]));
  };
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const marks: { at: number; label: string }[] = [];
  const mark = (label: string) => {
    marks.push({ at: Number(elapsed().toFixed(1)), label });
    log(label);
  };

  const admin = (await client.login(LOAD_ADMIN.email, LOAD_ADMIN.password)).token;
  // Throughput over time: orders accepted and processed (summed over the runs) and emails delivered.
  const samples: { t: number; accepted: number; processed: number; emails: number }[] = [];
  const base = { runId: '', accepted: 0, processed: 0, lastAccepted: 0, lastProcessed: 0 };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      rss.sample(parts());
      try {
        const run = await client.currentRun(admin).catch(() => null);
        if (run && run.id !== base.runId) {
          base.accepted += base.lastAccepted;
          base.processed += base.lastProcessed;
          base.runId = run.id;
        }
        base.lastAccepted = run?.mode === 'api' ? run.progress.generated : 0;
        base.lastProcessed = run?.progress.processed ?? 0;
        samples.push({
          t: elapsed(),
          accepted: base.accepted + base.lastAccepted,
          processed: base.processed + base.lastProcessed,
          emails: await sinkCount(sinkUrl),
        });
      } catch {
        // a sample lost while a part restarts
      }
      await sleep(500);
    }
  })();

  const waitForRun = async (what: string, timeoutMs: number): Promise<LoadRunDto> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await client.currentRun(admin);
      if (['DONE', 'ABORTED', 'ERROR'].includes(run.phase)) {
        if (run.phase !== 'DONE') throw new Error(`${what}: run ended ${run.phase} ${run.error ?? ''}`);
        return run;
      }
      if (Date.now() > deadline)
        throw new Error(`${what}: not done after ${timeoutMs} ms (${run.progress.processed}/${run.progress.target} processed)`);
      await sleep(250);
    }
  };

  try {
    // ---- setup
    const productId = await client.createProduct(admin, 1_000_000_000);
    const shoppers = await createShoppers(client, admin, SHOPPERS, mix);
    const sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: stack.urls.sqs });
    const urls = await Promise.all(
      ['orders', 'orders-priority'].map(async (q) => (await sqs.send(new GetQueueUrlCommand({ QueueName: q }))).QueueUrl!),
    );
    const queued = async () => {
      let total = 0;
      for (const QueueUrl of urls) {
        const a = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        total += Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      }
      return total;
    };

    // ---- 1. email stage alone
    mark('email stage');
    const emailMails = Math.min(orders, 10_000);
    const emailCpu = cpuOfParts(cpuParts());
    const emailStage = await measureEmailStage({
      smtpPort: ls.sink!.smtpPort,
      mails: emailMails,
      warmUp,
      poolSize: SMTP_POOL_SIZE,
      concurrency: 64,
      mix,
    });
    const emailCpuUs = cpuPerOrder(emailCpu, warmUp + emailMails);
    log(`email stage: ${Math.round(emailStage.mailsPerSec)} mails/s; CPU µs/mail ${JSON.stringify(emailCpuUs)}`);

    // ---- warm-up: a tenth of the orders (at most 2,000) through the whole pipeline.
    mark('warm-up');
    const warmEmails = await sinkCount(sinkUrl);
    await measureIntake({ url: stack.urls.order, path: '/api/orders', shoppers, productId, amount: warmUp, connections: CONNECTIONS, mix });
    while ((await queued()) > 0 || (await sinkCount(sinkUrl)) - warmEmails < warmUp) await sleep(100);

    // ---- 2. intake, processing paused
    await processing.stop();
    mark('intake');
    await client.startRun(admin, { mode: 'api', orders, mix, until: 'processed' });
    const intakeCpu = cpuOfParts(cpuParts());
    const intake = await measureIntake({
      url: stack.urls.order,
      path: '/api/orders',
      shoppers,
      productId,
      amount: orders,
      connections: CONNECTIONS,
      mix,
    });
    const intakeCpuUs = cpuPerOrder(intakeCpu, orders);
    log(
      `intake: ${Math.round(intake.ordersPerSec)} orders/s, p50 ${intake.p50Ms} ms, p99 ${intake.p99Ms} ms, non-2xx ${intake.non2xx}; CPU µs/order ${JSON.stringify(intakeCpuUs)}`,
    );
    if (intake.orders !== orders)
      throw new Error(
        `intake: only ${intake.orders} of ${orders} orders were accepted (${intake.non2xx} non-2xx, ${intake.errors} errors)`,
      );
    const deadline = Date.now() + 120_000;
    while ((await queued()) < orders) {
      if (Date.now() > deadline) throw new Error('the outbox relay did not queue every order within 120 s');
      await sleep(200);
    }

    // ---- 3. end to end: drain both queues (VIP first?) with every email delivered
    const emailsBefore = await sinkCount(sinkUrl);
    mark('e2e drain');
    await processing.start();
    const e2eCpu = cpuOfParts(cpuParts());
    const drained = await waitForRun('end-to-end drain', 120_000 + orders * 10);
    while ((await sinkCount(sinkUrl)) - emailsBefore < orders) await sleep(100);
    const e2eCpuUs = cpuPerOrder(e2eCpu, orders);
    const emailsSent = (await sinkCount(sinkUrl)) - emailsBefore;
    const { VIP, NORMAL } = drained.processing;
    const firstBegun = Math.min(...[VIP.firstStartedAt, NORMAL.firstStartedAt].filter((x): x is string => x !== null).map(Date.parse));
    const lastDone = Math.max(...[VIP.end, NORMAL.end].filter((x): x is string => x !== null).map(Date.parse));
    const e2eRate = (orders * 1000) / (lastDone - firstBegun);
    log(`e2e: ${Math.round(e2eRate)} orders/s, VIP first: ${drained.vipDrainedFirst}; CPU µs/order ${JSON.stringify(e2eCpuUs)}`);

    // ---- 4. latency at a fixed offered load
    mark(`latency @${OFFERED_PER_SEC}/s`);
    await client.startRun(admin, { mode: 'api', orders: latencyOrders, mix, until: 'processed' });
    await offerAtRate({ client, shoppers, productId, total: latencyOrders, perSec: OFFERED_PER_SEC });
    const latencyRun = await waitForRun('latency run', 120_000);
    log(`latency: p50 ${latencyRun.latency.p50Ms} ms, p99 ${latencyRun.latency.p99Ms} ms`);

    // ---- 5. outbox vs naive publish, then synchronous=FULL vs NORMAL; processing paused for all, one orderer (the admin)
    await processing.stop();
    mark('baseline');
    const asAdmin = {
      url: stack.urls.order,
      shoppers: [{ tier: 'BRONZE' as const, token: admin }],
      productId,
      amount: baselineOrders,
      connections: CONNECTIONS,
      mix,
    };
    const outboxPath = await measureIntake({ ...asAdmin, path: '/api/orders' });
    const naivePath = await measureIntake({ ...asAdmin, path: '/api/bench/orders-naive' });
    log(`baseline: outbox ${Math.round(outboxPath.ordersPerSec)}/s, naive ${Math.round(naivePath.ordersPerSec)}/s`);
    const order = stack.part('order');
    order.spec.env.SQLITE_SYNCHRONOUS = 'NORMAL';
    await order.restart();
    const normalSync = await measureIntake({ ...asAdmin, path: '/api/orders' });
    delete order.spec.env.SQLITE_SYNCHRONOUS;
    await order.restart();
    log(
      `durability: intake with synchronous=FULL ${Math.round(outboxPath.ordersPerSec)}/s, NORMAL ${Math.round(normalSync.ordersPerSec)}/s`,
    );
    await client.resetRuns(admin);

    // ---- 6. bulk generation
    mark('bulk');
    await client.startRun(admin, { mode: 'bulk', orders: bulkOrders, mix, until: 'generated' });
    const bulkRun = await waitForRun('bulk generation', 600_000);
    const bulkSeconds = (bulkRun.generation.durationMs ?? 0) / 1000;
    log(`bulk: ${bulkOrders} orders in ${bulkSeconds.toFixed(1)} s`);
    rss.sample(parts());

    const report: BenchReport = {
      startedAt: new Date(Date.now() - elapsed() * 1000).toISOString(),
      orders,
      mail: 'delivered over SMTP to a discarding sink (smtp-server, own process), not maildev',
      intake: {
        orders: intake.orders,
        connections: CONNECTIONS,
        ordersPerSec: intake.ordersPerSec,
        p50Ms: intake.p50Ms,
        p99Ms: intake.p99Ms,
        non2xx: intake.non2xx,
      },
      e2e: {
        orders,
        ordersPerSec: e2eRate,
        offeredPerSec: OFFERED_PER_SEC,
        latencyOrders,
        p50LatencyMs: latencyRun.latency.p50Ms,
        p99LatencyMs: latencyRun.latency.p99Ms,
        emailsSent,
        fractionOfEmailLimit: e2eRate / emailStage.mailsPerSec,
      },
      emailStage: { mails: emailStage.mails, mailsPerSec: emailStage.mailsPerSec, poolSize: SMTP_POOL_SIZE },
      bulk: { orders: bulkOrders, seconds: bulkSeconds, ordersPerSec: bulkRun.generation.ordersPerSec ?? 0 },
      baseline: {
        orders: baselineOrders,
        naiveOrdersPerSec: naivePath.ordersPerSec,
        outboxOrdersPerSec: outboxPath.ordersPerSec,
        outboxOverhead: naivePath.ordersPerSec / outboxPath.ordersPerSec,
      },
      durability: {
        orders: baselineOrders,
        fullOrdersPerSec: outboxPath.ordersPerSec,
        normalOrdersPerSec: normalSync.ordersPerSec,
        fullVsNormal: outboxPath.ordersPerSec / normalSync.ordersPerSec,
      },
      priority: {
        vipDrainedFirst: drained.vipDrainedFirst,
        vipWindowMs: VIP.durationMs,
        normalWindowMs: NORMAL.durationMs,
        vipOrders: VIP.processed,
        normalOrders: NORMAL.processed,
      },
      rssMaxMb: rss.peaksMb,
      cpuUsPerOrder: { emailStage: emailCpuUs, intake: intakeCpuUs, e2e: e2eCpuUs },
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAvg1mAtStart,
        totalMemGb: Math.round(os.totalmem() / 2 ** 30),
      },
      chart: outFile.replace(/\.json$/i, '') + '.svg',
    };
    sampling = false;
    await sampler;
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(
      report.chart,
      lineChartSvg(
        `OMS bench: ${orders.toLocaleString('en')} orders (${report.machine.cpus} cores, ${report.machine.node})`,
        'per second',
        [
          { name: 'orders accepted', color: '#1f77b4', points: ratesFromCounts(samples.map((s) => ({ t: s.t, count: s.accepted }))) },
          { name: 'orders processed', color: '#2ca02c', points: ratesFromCounts(samples.map((s) => ({ t: s.t, count: s.processed }))) },
          { name: 'emails delivered', color: '#ff7f0e', points: ratesFromCounts(samples.map((s) => ({ t: s.t, count: s.emails }))) },
        ],
        marks,
      ),
    );
    process.stdout.write(`\n${goalTable(report)}\n\nwrote ${outFile} and ${report.chart}\n`);
    await ls.stop();
    fs.rmSync(ls.dataDir, { recursive: true, force: true });
  } catch (err) {
    log(`failed; the services' logs are kept in ${ls.logFile}`);
    throw err;
  } finally {
    sampling = false;
    await sampler;
    await ls.stop();
  }
}

/** Open loop: starts orders at a fixed rate whatever the answers do (10 ms ticks), then waits for them all. */
async function offerAtRate(opts: {
  client: OmsClient;
  shoppers: Parameters<typeof postOrders>[0]['shoppers'];
  productId: string;
  total: number;
  perSec: number;
}) {
  const inFlight: Promise<unknown>[] = [];
  const started = performance.now();
  let sent = 0;
  while (sent < opts.total) {
    const due = Math.min(opts.total, Math.floor(((performance.now() - started) / 1000) * opts.perSec));
    for (; sent < due; sent++) {
      const shopper = opts.shoppers[sent % opts.shoppers.length]!;
      inFlight.push(opts.client.placeOrder(shopper.token, opts.productId));
    }
    await sleep(10);
  }
  await Promise.all(inFlight);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
