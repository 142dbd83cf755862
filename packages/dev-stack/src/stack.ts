import fs from 'node:fs';
import path from 'node:path';
import type { LogSink, PartName } from './log-format';
import { ManagedProcess, type ProcessSpec } from './managed-process';
import { assertPortsFree, consecutiveReplicaPorts, DEFAULT_PORTS, type ReplicaPorts, type StackPorts } from './ports';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const DEV_STACK_DIR = path.resolve(__dirname, '..');
/**
 * V8's young generation as Node 20 sized it (16 MB semi-spaces). Node 24's V8 lets a semi-space grow
 * to 32-64 MB (new space 64-128 MB instead of 32, per isolate: each worker thread has its own),
 * which with the processing service's SMTP worker thread took its peak RSS from ~290 to
 * ~460 MB on the same load (new space 128 MB in each of its two isolates) and the order service's
 * ~190 -> ~220 MB; at 16 the order service's CPU per order is the same within noise and the
 * processing service's ~15 % lower (A/B in docs/performance.md, `pnpm bench:ab-flags`, issue 11).
 * The services' start scripts and Dockerfiles pass the same flag.
 */
export const NODE_HEAP_FLAGS = ['--max-semi-space-size=16'];
/**
 * The services run as `node --import tsx`, not under the `tsx` CLI: the CLI is a parent process
 * that relays SIGTERM and SIGKILLs the service when it does not confirm within 30 ms, which a busy
 * service often cannot, so graceful shutdown became a coin flip (found by the shutdown tests).
 */
const TSX_LOADER = [...NODE_HEAP_FLAGS, '--import', 'tsx'];

export interface StackOptions {
  /** 'infra' = fauxqs + maildev only; 'all' adds both services. Default 'all'. */
  parts?: 'all' | 'infra';
  /** Defaults to the embedded mode's fixed ports (DEFAULT_PORTS); tests pass freeStackPorts(). */
  ports?: Partial<StackPorts>;
  /**
   * Replicas of each service (default 1), sharing the SQLite files and the queues. The first uses
   * ports.order / ports.processing, the others `replicaPorts` (default: order + 2, + 4, … and
   * processing + 2, + 4, …).
   */
  replicas?: number;
  replicaPorts?: ReplicaPorts[];
  /** Where the SQLite files (and caught mails) live. Default <repo>/var. */
  dataDir?: string;
  /** Extra env per part, applied last (wins over the stack's wiring); `order` / `processing` apply to every replica. */
  env?: Partial<Record<PartName, Record<string, string>>>;
  /** Receives every output line; the last lines are kept for error messages either way. */
  log?: LogSink;
  /** Per part. Default 60 s: tsx compiles the services on first start and CI machines are slow. */
  readyTimeoutMs?: number;
  /** SIGTERM -> SIGKILL grace per part. Default 10 s. */
  stopGraceMs?: number;
}

export interface StackUrls {
  /** Order service base URL, e.g. http://127.0.0.1:8000 (API under /api, OpenAPI UI at /docs). */
  order: string;
  processing: string;
  /** Every replica's base URL, the first being `order` / `processing`. */
  orders: string[];
  processings: string[];
  /** SQS endpoint for SQS_ENDPOINT / the AWS SDK. */
  sqs: string;
  /** maildev web UI; its JSON API is `${mailWeb}/email`. */
  mailWeb: string;
  smtpHost: string;
}

export interface Stack {
  ports: StackPorts;
  urls: StackUrls;
  dataDir: string;
  /** The running parts, in start order. */
  parts: ManagedProcess[];
  /** One part, for crash tests: `await stack.part('order').kill('SIGKILL'); await stack.part('order').restart()`. */
  part(name: PartName): ManagedProcess;
  /** Stops services first (so they can flush to SQS/SMTP), then the infrastructure. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

const replicaName = (service: 'order' | 'processing', i: number): PartName => (i === 0 ? service : `${service}-${i + 1}`);

// Long by design: a declarative table of the stack's processes (command, env, readiness), in start waves.
function specs(opts: StackOptions, ports: StackPorts, replicaPorts: ReplicaPorts[], dataDir: string): ProcessSpec[][] {
  const common = {
    readyTimeoutMs: opts.readyTimeoutMs ?? 60_000,
    stopGraceMs: opts.stopGraceMs ?? 10_000,
    log: opts.log,
  };
  const env = (part: PartName, own: Record<string, string>): NodeJS.ProcessEnv => ({
    ...process.env,
    ...own,
    ...opts.env?.[part.replace(/-\d+$/, '') as PartName],
    ...(part.includes('-') ? opts.env?.[part] : {}),
  });
  const sqsEndpoint = `http://${HOST}:${ports.sqs}`;
  const infra: ProcessSpec[] = [
    {
      ...common,
      name: 'sqs',
      command: process.execPath,
      args: [...NODE_HEAP_FLAGS, path.join(DEV_STACK_DIR, 'src/fauxqs-server.mjs')],
      cwd: DEV_STACK_DIR,
      env: env('sqs', { FAUXQS_PORT: String(ports.sqs), FAUXQS_LOGGER: 'false' }),
      ready: [
        { kind: 'line', pattern: /Server listening at/ },
        { kind: 'tcp', port: ports.sqs },
      ],
    },
    {
      ...common,
      name: 'mail',
      command: process.execPath,
      args: [
        path.join(DEV_STACK_DIR, 'src/maildev-server.cjs'),
        ...['-s', String(ports.smtp), '-w', String(ports.mailWeb), '--ip', HOST],
        ...['--mail-directory', path.join(dataDir, 'maildev')],
      ],
      cwd: DEV_STACK_DIR,
      env: env('mail', {}),
      ready: [
        { kind: 'tcp', port: ports.smtp },
        { kind: 'http', url: `http://${HOST}:${ports.mailWeb}/email` },
      ],
    },
  ];
  if (opts.parts === 'infra') return [infra];

  const wiring = {
    HOST,
    SQS_ENDPOINT: sqsEndpoint,
    AWS_REGION: 'us-east-1',
    // fauxqs accepts any credentials; real ones must never reach a local emulator.
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    SMTP_HOST: HOST,
    SMTP_PORT: String(ports.smtp),
  };
  const service = (name: PartName, dir: string, own: Record<string, string>, health: string) => ({
    ...common,
    name,
    command: process.execPath,
    args: [...TSX_LOADER, 'src/main.ts'],
    cwd: path.join(REPO_ROOT, 'services', dir),
    env: env(name, { ...wiring, ...own }),
    ready: [{ kind: 'http' as const, url: `http://${HOST}:${own.PORT}${health}` }],
  });
  const all = [{ order: ports.order, processing: ports.processing }, ...replicaPorts];
  const services: ProcessSpec[] = all.flatMap((own, i) => [
    service(
      replicaName('order', i),
      'order-service',
      { PORT: String(own.order), SQLITE_PATH: path.join(dataDir, 'order-service.sqlite') },
      '/api/health/ready',
    ),
    service(
      replicaName('processing', i),
      'processing-service',
      {
        PORT: String(own.processing),
        SQLITE_PATH: path.join(dataDir, 'processing-service.sqlite'),
        SHOP_URL: `http://localhost:${ports.order}`,
      },
      '/processor/api/health',
    ),
  ]);
  return [infra, services];
}

/**
 * Starts the embedded stack as real child processes and resolves when every part is ready.
 * On any failure it stops what it started and rejects with an error naming the part and
 * quoting its last log lines.
 */
// Long by design: one straight sequence (check options and ports, start the waves, stop all on failure, build the handle).
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const ports: StackPorts = { ...DEFAULT_PORTS, ...opts.ports };
  const dataDir = path.resolve(opts.dataDir ?? path.join(REPO_ROOT, 'var'));
  fs.mkdirSync(dataDir, { recursive: true });
  const replicas = opts.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`replicas must be a positive integer (got ${replicas})`);
  const replicaPorts = opts.parts === 'infra' ? [] : (opts.replicaPorts ?? consecutiveReplicaPorts(ports, replicas)).slice(0, replicas - 1);
  if (opts.parts !== 'infra' && replicaPorts.length !== replicas - 1)
    throw new Error(`${replicas} replicas need ${replicas - 1} replicaPorts entries`);
  const waves = specs(opts, ports, replicaPorts, dataDir);
  const owners: Record<keyof StackPorts, string> = {
    sqs: 'sqs (fauxqs)',
    smtp: 'mail (maildev SMTP)',
    mailWeb: 'mail (maildev web)',
    order: 'order-service',
    processing: 'processing-service',
  };
  const wanted = (Object.keys(owners) as (keyof StackPorts)[])
    .filter((k) => opts.parts !== 'infra' || !['order', 'processing'].includes(k))
    .map((k) => ({ port: ports[k], owner: owners[k] }))
    .concat(
      replicaPorts.flatMap((r, i) => [
        { port: r.order, owner: `order-service replica ${i + 2}` },
        { port: r.processing, owner: `processing-service replica ${i + 2}` },
      ]),
    );
  await assertPortsFree(wanted);

  const parts: ManagedProcess[] = [];
  const stop = async () => {
    const services = parts.filter((p) => /^(order|processing)(-\d+)?$/.test(p.name));
    await Promise.all(services.map((p) => p.stop()));
    await Promise.all(parts.filter((p) => !services.includes(p)).map((p) => p.stop()));
  };
  try {
    // Infrastructure first so the services find their queues and SMTP server at start.
    for (const wave of waves) {
      const started = wave.map((spec) => new ManagedProcess(spec));
      parts.push(...started);
      const results = await Promise.allSettled(started.map((p) => p.start()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    ports,
    dataDir,
    parts,
    urls: {
      order: `http://${HOST}:${ports.order}`,
      processing: `http://${HOST}:${ports.processing}`,
      orders: [ports.order, ...replicaPorts.map((r) => r.order)].map((p) => `http://${HOST}:${p}`),
      processings: [ports.processing, ...replicaPorts.map((r) => r.processing)].map((p) => `http://${HOST}:${p}`),
      sqs: `http://${HOST}:${ports.sqs}`,
      mailWeb: `http://${HOST}:${ports.mailWeb}`,
      smtpHost: HOST,
    },
    part(name) {
      const found = parts.find((p) => p.name === name);
      if (!found) throw new Error(`${name} is not part of this stack`);
      return found;
    },
    stop,
  };
}
