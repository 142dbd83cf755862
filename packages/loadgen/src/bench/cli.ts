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
import { LOAD_ADMIN, loadStackParts, sinkCount, startLoadStack, type LoadStack } from '../embedded-stack';
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

interface Settings {
  orders: number;
  bulkOrders: number;
  outFile: string;
  latencyOrders: number;
  baselineOrders: number;
  warmUp: number;
  profileDir: string | null;
  loadAvg1mAtStart: number;
}

type Intake = Awaited<ReturnType<typeof measureIntake>>;
type Shoppers = Awaited<ReturnType<typeof createShoppers>>;

/** What every phase uses: the stack, the admin's client, the CPU and RSS probes and the chart's marks. */
interface Bench {
  ls: LoadStack;
  stack: LoadStack['stack'];
  sinkUrl: string;
  processing: ReturnType<LoadStack['stack']['part']>;
  rss: PeakRss;
  parts: () => ReturnType<typeof loadStackParts>;
  client: OmsClient;
  admin: string;
  cpuNow: () => Record<string, number>;
  cpuPerOrder: (before: Record<string, number>, n: number) => Record<string, number>;
  elapsed: () => number;
  marks: { at: number; label: string }[];
  mark: (label: string) => void;
}

interface Setup {
  productId: string;
  shoppers: Shoppers;
  queued: () => Promise<number>;
}

interface Sample {
  t: number;
  accepted: number;
  processed: number;
  emails: number;
}

function parseSettings(): Settings {
  const { values } = parseArgs({
    options: { orders: { type: 'string' }, out: { type: 'string' }, 'bulk-orders': { type: 'string' }, profile: { type: 'string' } },
  });
  // --profile DIR: each service process writes DIR/<service>/<pid>.cpuprofile when it exits.
  const profileDir = values.profile ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.profile) : null;
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
  return { orders, bulkOrders, outFile, latencyOrders, baselineOrders, warmUp, profileDir, loadAvg1mAtStart };
}

async function startBenchStack({ profileDir }: Settings): Promise<LoadStack> {
  const profiling = (service: string): Record<string, string> =>
    profileDir
      ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'profile-hook.cjs')}`, OMS_PROFILE_DIR: path.join(profileDir, service) }
      : {};
  log('starting the stack (mail goes to a discarding SMTP sink)...');
  return startLoadStack({
    mail: 'sink',
    // The intake and baseline phases pile every order up in the queues with processing paused:
    // the relay must not hold back at OUTBOX_MAX_QUEUE_DEPTH there.
    orderEnv: { BENCH_NAIVE_PUBLISH: 'true', OUTBOX_MAX_QUEUE_DEPTH: '0', ...profiling('order') },
    processingEnv: { SMTP_POOL_SIZE: String(SMTP_POOL_SIZE), ...profiling('processing') },
  });
}

async function benchOn(ls: LoadStack): Promise<Bench> {
  const { stack } = ls;
  const parts = () => loadStackParts(ls);
  const client = new OmsClient(stack.urls.order);
  // CPU µs per order of every process over one phase; the bench itself drives autocannon (its children are the stack).
  const cpuNow = () => cpuOfParts([...parts(), { name: 'bench', pid: process.pid, alone: true }]);
  const cpuPerOrder = (before: Record<string, number>, n: number) => {
    const after = cpuNow();
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
  const sinkUrl = ls.sink!.statsUrl;
  const processing = stack.part('processing');
  return { ls, stack, sinkUrl, processing, rss: new PeakRss(), parts, client, admin, cpuNow, cpuPerOrder, elapsed, marks, mark };
}

/** Throughput over time: orders accepted and processed (summed over the runs) and emails delivered. */
function startSampler(b: Bench): { samples: Sample[]; stop: () => Promise<void> } {
  const samples: Sample[] = [];
  const base = { runId: '', accepted: 0, processed: 0, lastAccepted: 0, lastProcessed: 0 };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      b.rss.sample(b.parts());
      try {
        const run = await b.client.currentRun(b.admin).catch(() => null);
        if (run && run.id !== base.runId) {
          base.accepted += base.lastAccepted;
          base.processed += base.lastProcessed;
          base.runId = run.id;
        }
        base.lastAccepted = run?.mode === 'api' ? run.progress.generated : 0;
        base.lastProcessed = run?.progress.processed ?? 0;
        samples.push({
          t: b.elapsed(),
          accepted: base.accepted + base.lastAccepted,
          processed: base.processed + base.lastProcessed,
          emails: await sinkCount(b.sinkUrl),
        });
      } catch {
        // a sample lost while a part restarts
      }
      await sleep(500);
    }
  })();
  const stop = async () => {
    sampling = false;
    await sampler;
  };
  return { samples, stop };
}

async function waitForRun(b: Bench, what: string, timeoutMs: number): Promise<LoadRunDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await b.client.currentRun(b.admin);
    if (['DONE', 'ABORTED', 'ERROR'].includes(run.phase)) {
      if (run.phase !== 'DONE') throw new Error(`${what}: run ended ${run.phase} ${run.error ?? ''}`);
      return run;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not done after ${timeoutMs} ms (${run.progress.processed}/${run.progress.target} processed)`);
    await sleep(250);
  }
}

/** A product, the shoppers, and a probe of the messages in both order queues. */
async function setUp(b: Bench): Promise<Setup> {
  const productId = await b.client.createProduct(b.admin, 1_000_000_000);
  const shoppers = await createShoppers(b.client, b.admin, SHOPPERS, mix);
  const sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: b.stack.urls.sqs });
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
  return { productId, shoppers, queued };
}

/** 1. The email stage alone. */
async function emailStagePhase(b: Bench, { orders, warmUp }: Settings) {
  b.mark('email stage');
  const emailMails = Math.min(orders, 10_000);
  const emailCpu = b.cpuNow();
  const emailStage = await measureEmailStage({
    smtpPort: b.ls.sink!.smtpPort,
    mails: emailMails,
    warmUp,
    poolSize: SMTP_POOL_SIZE,
    concurrency: 64,
    mix,
  });
  const emailCpuUs = b.cpuPerOrder(emailCpu, warmUp + emailMails);
  log(`email stage: ${Math.round(emailStage.mailsPerSec)} mails/s; CPU µs/mail ${JSON.stringify(emailCpuUs)}`);
  return { emailStage, emailCpuUs };
}

/** Warm-up: a tenth of the orders (at most 2,000) through the whole pipeline. */
async function warmUpPhase(b: Bench, { warmUp }: Settings, { shoppers, productId, queued }: Setup): Promise<void> {
  b.mark('warm-up');
  const warmEmails = await sinkCount(b.sinkUrl);
  await measureIntake({ url: b.stack.urls.order, path: '/api/orders', shoppers, productId, amount: warmUp, connections: CONNECTIONS, mix });
  while ((await queued()) > 0 || (await sinkCount(b.sinkUrl)) - warmEmails < warmUp) await sleep(100);
}

/** 2. Intake, processing paused; waits until the relay has queued every order. */
async function intakePhase(b: Bench, { orders }: Settings, { shoppers, productId, queued }: Setup) {
  await b.processing.stop();
  b.mark('intake');
  await b.client.startRun(b.admin, { mode: 'api', orders, mix, until: 'processed' });
  const intakeCpu = b.cpuNow();
  const intake = await measureIntake({
    url: b.stack.urls.order,
    path: '/api/orders',
    shoppers,
    productId,
    amount: orders,
    connections: CONNECTIONS,
    mix,
  });
  const intakeCpuUs = b.cpuPerOrder(intakeCpu, orders);
  log(
    `intake: ${Math.round(intake.ordersPerSec)} orders/s, p50 ${intake.p50Ms} ms, p99 ${intake.p99Ms} ms, non-2xx ${intake.non2xx}; CPU µs/order ${JSON.stringify(intakeCpuUs)}`,
  );
  if (intake.orders !== orders)
    throw new Error(`intake: only ${intake.orders} of ${orders} orders were accepted (${intake.non2xx} non-2xx, ${intake.errors} errors)`);
  const deadline = Date.now() + 120_000;
  while ((await queued()) < orders) {
    if (Date.now() > deadline) throw new Error('the outbox relay did not queue every order within 120 s');
    await sleep(200);
  }
  return { intake, intakeCpuUs };
}

/** 3. End to end: drain both queues (VIP first?) with every email delivered. */
async function e2ePhase(b: Bench, { orders }: Settings) {
  const emailsBefore = await sinkCount(b.sinkUrl);
  b.mark('e2e drain');
  await b.processing.start();
  const e2eCpu = b.cpuNow();
  const drained = await waitForRun(b, 'end-to-end drain', 120_000 + orders * 10);
  while ((await sinkCount(b.sinkUrl)) - emailsBefore < orders) await sleep(100);
  const e2eCpuUs = b.cpuPerOrder(e2eCpu, orders);
  const emailsSent = (await sinkCount(b.sinkUrl)) - emailsBefore;
  const { VIP, NORMAL } = drained.processing;
  const firstBegun = Math.min(...[VIP.firstStartedAt, NORMAL.firstStartedAt].filter((x): x is string => x !== null).map(Date.parse));
  const lastDone = Math.max(...[VIP.end, NORMAL.end].filter((x): x is string => x !== null).map(Date.parse));
  const e2eRate = (orders * 1000) / (lastDone - firstBegun);
  log(`e2e: ${Math.round(e2eRate)} orders/s, VIP first: ${drained.vipDrainedFirst}; CPU µs/order ${JSON.stringify(e2eCpuUs)}`);
  return { drained, e2eCpuUs, emailsSent, e2eRate };
}

/** 4. Latency at a fixed offered load. */
async function latencyPhase(b: Bench, { latencyOrders }: Settings, { shoppers, productId }: Setup): Promise<LoadRunDto> {
  b.mark(`latency @${OFFERED_PER_SEC}/s`);
  await b.client.startRun(b.admin, { mode: 'api', orders: latencyOrders, mix, until: 'processed' });
  const offered = await offerAtRate({ client: b.client, shoppers, productId, total: latencyOrders, perSec: OFFERED_PER_SEC });
  const latencyRun = await waitForRun(b, 'latency run', 120_000);
  log(`latency: p50 ${latencyRun.latency.p50Ms} ms, p99 ${latencyRun.latency.p99Ms} ms (${offered.toFixed(0)} orders/s offered)`);
  return latencyRun;
}

/** The intake of phase 5: processing paused, one orderer (the admin). */
function adminIntake(b: Bench, { baselineOrders }: Settings, { productId }: Setup) {
  return {
    url: b.stack.urls.order,
    shoppers: [{ tier: 'BRONZE' as const, token: b.admin }],
    productId,
    amount: baselineOrders,
    connections: CONNECTIONS,
    mix,
  };
}

/** 5a. Outbox vs naive publish (processing paused). */
async function baselinePhase(b: Bench, settings: Settings, setup: Setup): Promise<{ outboxPath: Intake; naivePath: Intake }> {
  await b.processing.stop();
  b.mark('baseline');
  const asAdmin = adminIntake(b, settings, setup);
  const outboxPath = await measureIntake({ ...asAdmin, path: '/api/orders' });
  const naivePath = await measureIntake({ ...asAdmin, path: '/api/bench/orders-naive' });
  log(`baseline: outbox ${Math.round(outboxPath.ordersPerSec)}/s, naive ${Math.round(naivePath.ordersPerSec)}/s`);
  return { outboxPath, naivePath };
}

/** 5b. synchronous=FULL (the outbox intake of 5a) vs NORMAL; then the runs are reset. */
async function durabilityPhase(b: Bench, settings: Settings, setup: Setup, outboxPath: Intake): Promise<Intake> {
  const order = b.stack.part('order');
  order.spec.env.SQLITE_SYNCHRONOUS = 'NORMAL';
  await order.restart();
  const normalSync = await measureIntake({ ...adminIntake(b, settings, setup), path: '/api/orders' });
  delete order.spec.env.SQLITE_SYNCHRONOUS;
  await order.restart();
  log(`durability: intake with synchronous=FULL ${Math.round(outboxPath.ordersPerSec)}/s, NORMAL ${Math.round(normalSync.ordersPerSec)}/s`);
  await b.client.resetRuns(b.admin);
  return normalSync;
}

/** 6. Bulk generation. */
async function bulkPhase(b: Bench, { bulkOrders }: Settings): Promise<{ bulkRun: LoadRunDto; bulkSeconds: number }> {
  b.mark('bulk');
  await b.client.startRun(b.admin, { mode: 'bulk', orders: bulkOrders, mix, until: 'generated' });
  const bulkRun = await waitForRun(b, 'bulk generation', 600_000);
  const bulkSeconds = (bulkRun.generation.durationMs ?? 0) / 1000;
  log(`bulk: ${bulkOrders} orders in ${bulkSeconds.toFixed(1)} s`);
  b.rss.sample(b.parts());
  return { bulkRun, bulkSeconds };
}

interface Results {
  email: Awaited<ReturnType<typeof emailStagePhase>>;
  intake: Awaited<ReturnType<typeof intakePhase>>;
  e2e: Awaited<ReturnType<typeof e2ePhase>>;
  latencyRun: LoadRunDto;
  baseline: Awaited<ReturnType<typeof baselinePhase>>;
  normalSync: Intake;
  bulk: Awaited<ReturnType<typeof bulkPhase>>;
}

// One object literal mirroring the report's JSON (its keys are compared across runs): long, but read as a table.
function buildReport(b: Bench, s: Settings, r: Results): BenchReport {
  const { intake } = r.intake;
  const { drained, e2eRate } = r.e2e;
  const { VIP, NORMAL } = drained.processing;
  const { outboxPath, naivePath } = r.baseline;
  return {
    startedAt: new Date(Date.now() - b.elapsed() * 1000).toISOString(),
    orders: s.orders,
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
      orders: s.orders,
      ordersPerSec: e2eRate,
      offeredPerSec: OFFERED_PER_SEC,
      latencyOrders: s.latencyOrders,
      p50LatencyMs: r.latencyRun.latency.p50Ms,
      p99LatencyMs: r.latencyRun.latency.p99Ms,
      emailsSent: r.e2e.emailsSent,
      fractionOfEmailLimit: e2eRate / r.email.emailStage.mailsPerSec,
    },
    emailStage: { mails: r.email.emailStage.mails, mailsPerSec: r.email.emailStage.mailsPerSec, poolSize: SMTP_POOL_SIZE },
    bulk: { orders: s.bulkOrders, seconds: r.bulk.bulkSeconds, ordersPerSec: r.bulk.bulkRun.generation.ordersPerSec ?? 0 },
    baseline: {
      orders: s.baselineOrders,
      naiveOrdersPerSec: naivePath.ordersPerSec,
      outboxOrdersPerSec: outboxPath.ordersPerSec,
      outboxOverhead: naivePath.ordersPerSec / outboxPath.ordersPerSec,
    },
    durability: {
      orders: s.baselineOrders,
      fullOrdersPerSec: outboxPath.ordersPerSec,
      normalOrdersPerSec: r.normalSync.ordersPerSec,
      fullVsNormal: outboxPath.ordersPerSec / r.normalSync.ordersPerSec,
    },
    priority: {
      vipDrainedFirst: drained.vipDrainedFirst,
      vipWindowMs: VIP.durationMs,
      normalWindowMs: NORMAL.durationMs,
      vipOrders: VIP.processed,
      normalOrders: NORMAL.processed,
    },
    rssMaxMb: b.rss.peaksMb,
    cpuUsPerOrder: { emailStage: r.email.emailCpuUs, intake: r.intake.intakeCpuUs, e2e: r.e2e.e2eCpuUs },
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAvg1mAtStart: s.loadAvg1mAtStart,
      totalMemGb: Math.round(os.totalmem() / 2 ** 30),
    },
    chart: s.outFile.replace(/\.json$/i, '') + '.svg',
  };
}

/** Writes the JSON report and its chart, and prints the goal table. */
function writeReport(report: BenchReport, { outFile, orders }: Settings, samples: Sample[], marks: Bench['marks']): void {
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
}

/** The phases in order, then the report. */
async function runPhases(b: Bench, settings: Settings, sampler: ReturnType<typeof startSampler>): Promise<void> {
  const setup = await setUp(b);
  const email = await emailStagePhase(b, settings);
  await warmUpPhase(b, settings, setup);
  const intake = await intakePhase(b, settings, setup);
  const e2e = await e2ePhase(b, settings);
  const latencyRun = await latencyPhase(b, settings, setup);
  const baseline = await baselinePhase(b, settings, setup);
  const normalSync = await durabilityPhase(b, settings, setup, baseline.outboxPath);
  const bulk = await bulkPhase(b, settings);
  const report = buildReport(b, settings, { email, intake, e2e, latencyRun, baseline, normalSync, bulk });
  await sampler.stop();
  writeReport(report, settings, sampler.samples, b.marks);
}

async function main(): Promise<void> {
  const settings = parseSettings();
  const ls = await startBenchStack(settings);
  const b = await benchOn(ls);
  const sampler = startSampler(b);
  try {
    await runPhases(b, settings, sampler);
    await ls.stop();
    fs.rmSync(ls.dataDir, { recursive: true, force: true });
  } catch (err) {
    log(`failed; the services' logs are kept in ${ls.logFile}`);
    throw err;
  } finally {
    await sampler.stop();
    await ls.stop();
  }
}

/**
 * Past what the order service answers, every late order used to open one more connection (fetch
 * pools have no limit), thousands of them, until the kernel's accept queue overflowed and some
 * ended in ECONNRESET ("fetch failed").
 */
const MAX_IN_FLIGHT = 256;

/**
 * Open loop: starts orders at a fixed rate whatever the answers do (10 ms ticks), but at most
 * MAX_IN_FLIGHT at once, then waits for them all. Returns the rate actually offered.
 */
async function offerAtRate(opts: {
  client: OmsClient;
  shoppers: Parameters<typeof postOrders>[0]['shoppers'];
  productId: string;
  total: number;
  perSec: number;
}): Promise<number> {
  const inFlight: Promise<void>[] = [];
  const failures: unknown[] = [];
  let pending = 0;
  const started = performance.now();
  let sent = 0;
  while (sent < opts.total) {
    const due = Math.min(opts.total, Math.floor(((performance.now() - started) / 1000) * opts.perSec));
    for (; sent < due && pending < MAX_IN_FLIGHT; sent++) {
      const shopper = opts.shoppers[sent % opts.shoppers.length]!;
      pending++;
      // Handled at once (an unhandled rejection would end the process before the stack is stopped).
      const order = opts.client.placeOrder(shopper.token, opts.productId).then(
        () => undefined,
        (err: unknown) => void failures.push(err),
      );
      inFlight.push(order.finally(() => pending--));
    }
    await sleep(10);
  }
  const offeredPerSec = opts.total / ((performance.now() - started) / 1000);
  await Promise.all(inFlight);
  if (failures.length > 0) throw failures[0];
  return offeredPerSec;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    // fetch's own message ("fetch failed") says nothing: the cause (ECONNRESET, EMFILE ...) does.
    const cause = err instanceof Error && err.cause instanceof Error ? `\ncaused by: ${err.cause.stack ?? err.cause.message}` : '';
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`);
    process.exit(1);
  },
);
