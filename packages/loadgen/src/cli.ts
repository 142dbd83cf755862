/**
 * `pnpm loadgen` — generate load and watch it drain, VIP first.
 *
 *   pnpm loadgen --mode bulk --orders 1000000            # 1M orders through the store's bulk path
 *   pnpm loadgen --mode api --orders 5000 --shoppers 50  # real shoppers posting over HTTP
 *   pnpm loadgen status|cancel|reset|history --target http://127.0.0.1:8000
 *
 * Without --target it starts the embedded stack itself (free ports, temp data dir, rate limits off,
 * mail to a discarding SMTP sink unless --mail maildev) and stops it at the end. With --target it
 * drives a running order service (start it with RATE_LIMIT_*=0 for api mode) as the admin given
 * by --admin-email/--admin-password (dev defaults). The run itself lives in the order service
 * (/api/admin/load-runs), so status/cancel/reset/history work from another terminal.
 */
import fs from 'node:fs';
import { DEFAULT_TIER_MIX, type LoadRunDto, type TierMix } from '@oms/contracts';
import { parseArgs, parseTierMix, positiveInt } from './args';
import { HttpError } from '@oms/api-client';
import { sleep } from '@oms/platform';
import { createShoppers, OmsClient, postOrders } from './client';
import { LOAD_ADMIN, loadStackParts, startLoadStack, type LoadStack } from './embedded-stack';
import { formatDuration, formatRate, ProgressBar, progressLine } from './progress';
import { PeakRss } from './rss';
import { peakRssLine, runSummary } from './summary';

const USAGE = `usage: pnpm loadgen [run] [--mode bulk|api] [--orders N] [--mix BRONZE=40,SILVER=30,GOLD=20,DIAMOND=10]
                    [--until generated|processed] [--shoppers N] [--target URL] [--mail sink|maildev]
                    [--admin-email E --admin-password P]
       pnpm loadgen status|cancel|reset|history --target URL`;

const TERMINAL = new Set(['DONE', 'ABORTED', 'ERROR']);

interface Options {
  command: string;
  mode: 'bulk' | 'api';
  until: 'generated' | 'processed';
  orders: number;
  shopperCount: number;
  mix: TierMix;
  target: string | undefined;
  mail: 'sink' | 'maildev';
  adminEmail: string | undefined;
  adminPassword: string | undefined;
}

/** The command line, checked; null when --help was asked for (the usage is already printed). */
function parseOptions(): Options | null {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      mode: { type: 'string', default: 'bulk' },
      orders: { type: 'string' },
      mix: { type: 'string' },
      until: { type: 'string' },
      shoppers: { type: 'string' },
      target: { type: 'string' },
      mail: { type: 'string', default: 'sink' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return null;
  }
  const command = positionals[0] ?? 'run';
  const mode = values.mode;
  if (mode !== 'bulk' && mode !== 'api') throw new Error(`--mode must be bulk or api\n${USAGE}`);
  if (values.mail !== 'sink' && values.mail !== 'maildev') throw new Error('--mail must be sink or maildev');
  // Bulk defaults to stopping after generation: processing a million orders with their emails takes ~15 min here.
  const until = values.until ?? (mode === 'bulk' ? 'generated' : 'processed');
  if (until !== 'generated' && until !== 'processed') throw new Error('--until must be generated or processed');
  const orders = positiveInt('orders', values.orders, mode === 'bulk' ? 100_000 : 2_000);
  const shopperCount = positiveInt('shoppers', values.shoppers, 50);
  const mix: TierMix = values.mix ? parseTierMix(values.mix) : DEFAULT_TIER_MIX;
  return {
    command,
    mode,
    until,
    orders,
    shopperCount,
    mix,
    target: values.target,
    mail: values.mail,
    adminEmail: values['admin-email'],
    adminPassword: values['admin-password'],
  };
}

/** Starts the embedded stack unless --target names a running order service. */
async function startStackUnlessTargeted(opts: Options): Promise<LoadStack | null> {
  if (!opts.target && opts.command !== 'run') throw new Error(`${opts.command} needs --target (the run lives in that order service)`);
  if (opts.target) return null;
  process.stderr.write(`starting the embedded stack (mail: ${opts.mail === 'sink' ? 'discarding SMTP sink' : 'maildev'})...\n`);
  const started = await startLoadStack({ mail: opts.mail });
  process.stderr.write(`stack up: ${started.stack.urls.order}\n`);
  return started;
}

type AsAdmin = <T>(call: (token: string) => Promise<T>) => Promise<T>;

/** Logs the admin in: the first token, and a wrapper that logs in again when a token has expired. */
async function adminSession(client: OmsClient, login: { email: string; password: string }): Promise<{ admin: string; asAdmin: AsAdmin }> {
  let admin = (await client.login(login.email, login.password)).token;
  const first = admin;
  // Access tokens live 15 minutes and a run may take an hour: log in again when one has expired.
  const asAdmin = async <T>(call: (token: string) => Promise<T>): Promise<T> => {
    try {
      return await call(admin);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 401) throw err;
      admin = (await client.login(login.email, login.password)).token;
      return call(admin);
    }
  };
  return { admin: first, asAdmin };
}

/** status/cancel/reset/history: prints the answer and returns the exit code; null for `run`. */
async function runAdminCommand(command: string, client: OmsClient, admin: string): Promise<number | null> {
  switch (command) {
    case 'status':
      process.stdout.write(`${JSON.stringify(await client.currentRun(admin), null, 2)}\n`);
      return 0;
    case 'cancel':
      process.stdout.write(`${runSummary(await client.cancelRun(admin))}\n`);
      return 0;
    case 'reset':
      process.stdout.write(`${JSON.stringify(await client.resetRuns(admin))}\n`);
      return 0;
    case 'history':
      for (const run of await client.history(admin)) process.stdout.write(`${runSummary(run)}\n\n`);
      return 0;
    case 'run':
      return null;
    default:
      throw new Error(`unknown command ${command}\n${USAGE}`);
  }
}

/** An AbortController that SIGINT/SIGTERM abort (the run is then cancelled). */
function abortOnSignal(): AbortController {
  const abort = new AbortController();
  const onSignal = () => {
    process.stderr.write('\ncancelling the run...\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return abort;
}

/**
 * Starts the run; in api mode also the shoppers posting orders (`posting` settles when they stop).
 * Wrapped in an object so that awaiting the start does not wait for the posting.
 */
async function startRun(opts: Options, client: OmsClient, admin: string, signal: AbortSignal): Promise<{ posting: Promise<unknown> }> {
  const { mode, orders, mix, until, shopperCount } = opts;
  if (mode !== 'api') {
    await client.startRun(admin, { mode, orders, mix, until });
    return { posting: Promise.resolve() };
  }
  process.stderr.write(`creating ${shopperCount} shoppers...\n`);
  const productId = await client.createProduct(admin, 1_000_000_000);
  const shoppers = await createShoppers(client, admin, shopperCount, mix);
  await client.startRun(admin, { mode, orders, mix, until });
  let firstError = true;
  const posting = postOrders({
    client,
    shoppers,
    productId,
    total: orders,
    concurrency: shopperCount,
    mix,
    signal,
    onError: (err) => {
      if (firstError) process.stderr.write(`\norder failed (further failures counted silently): ${String(err)}\n`);
      firstError = false;
    },
  });
  return { posting };
}

/** Polls the run until it ends (or cancels it on a signal), drawing the progress bar. */
async function watchRun(
  client: OmsClient,
  asAdmin: AsAdmin,
  abort: AbortController,
  bar: ProgressBar,
  started: LoadStack | null,
  rss: PeakRss,
): Promise<LoadRunDto> {
  let run: LoadRunDto;
  for (;;) {
    if (started) rss.sample(loadStackParts(started));
    run = await asAdmin((token) => client.currentRun(token));
    bar.update(progressLine(run));
    if (TERMINAL.has(run.phase)) break;
    if (abort.signal.aborted) {
      run = await asAdmin((token) => client.cancelRun(token));
      break;
    }
    await sleep(500);
  }
  return run;
}

function reportRun(run: LoadRunDto, started: LoadStack | null, rss: PeakRss): number {
  process.stdout.write(`${runSummary(run)}\n`);
  if (run.generation.durationMs !== null) {
    process.stdout.write(
      `generated ${run.progress.generated.toLocaleString('en')} orders in ${formatDuration(run.generation.durationMs)} (${formatRate(run.generation.ordersPerSec)})\n`,
    );
  }
  if (started) process.stdout.write(`${peakRssLine(rss.peaksMb)}\n`);
  return run.phase === 'DONE' ? 0 : 1;
}

async function main(): Promise<number> {
  const opts = parseOptions();
  if (!opts) return 0;
  const started = await startStackUnlessTargeted(opts);
  const client = new OmsClient(opts.target ?? started!.stack.urls.order);
  const adminLogin = opts.target
    ? { email: opts.adminEmail ?? 'admin@oms.local', password: opts.adminPassword ?? 'Admin@123' }
    : LOAD_ADMIN;
  try {
    const { admin, asAdmin } = await adminSession(client, adminLogin);
    const code = await runAdminCommand(opts.command, client, admin);
    if (code !== null) return code;

    const abort = abortOnSignal();
    const { posting } = await startRun(opts, client, admin, abort.signal);
    const bar = new ProgressBar();
    // Only the processes of a stack we started are ours to watch.
    const rss = new PeakRss();
    const run = await watchRun(client, asAdmin, abort, bar, started, rss);
    abort.abort();
    await posting;
    bar.done(progressLine(run));
    return reportRun(run, started, rss);
  } finally {
    await started?.stop();
    // The temp data dir holds the generated SQLite files (1.5 GB for a million orders).
    if (started) fs.rmSync(started.dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`loadgen: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
