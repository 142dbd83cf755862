/**
 * The per-service dev servers, exactly as README says: `pnpm start:infra`, then
 * `pnpm --filter @oms/order-service start` and `pnpm --filter @oms/processing-service start` as three
 * separate processes with no SQS_ENDPOINT or SMTP_HOST set, so the services must find the embedded
 * SQS and mail catcher on their own. It uses the fixed ports of that mode (4566, 1025, 1080, 8000,
 * 8001) and so fails at once, naming the port, when something (a running `pnpm start`) holds one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { assertPortsFree, DEFAULT_PORTS, ManagedProcess, REPO_ROOT, formatLine, type PartName } from '@oms/dev-stack';
import { apiClient, caughtMails, waitFor } from '../src';

jest.setTimeout(240_000);

const HOST = 'http://127.0.0.1';
const ADMIN = { email: 'dev-admin@oms.test', password: 'Dev-admin-password-1' };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-dev-servers-'));
const logPath = path.join(REPO_ROOT, 'artifacts/system-tests/dev-servers.log');
const parts: ManagedProcess[] = [];

/** The caller's environment without anything that would point a service at its infrastructure. */
function readmeEnv(own: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...own };
  for (const name of ['SQS_ENDPOINT', 'SMTP_HOST', 'SMTP_PORT', 'PORT', 'HOST', 'MONGODB_URI', 'NODE_ENV']) delete env[name];
  return { ...env, ...own };
}

function pnpm(name: PartName, args: string[], own: Record<string, string>, ready: ManagedProcess['spec']['ready']) {
  fs.mkdirSync(path.dirname(logPath), { recursive: true });
  const log = fs.createWriteStream(logPath, { flags: 'a' });
  return new ManagedProcess({
    name,
    command: 'pnpm',
    args,
    cwd: REPO_ROOT,
    env: readmeEnv(own),
    ready,
    readyTimeoutMs: 120_000,
    stopGraceMs: 15_000,
    wrapper: true,
    log: (part, line) => log.write(`${formatLine(part, line)}\n`),
  });
}

beforeAll(async () => {
  const p = DEFAULT_PORTS;
  await assertPortsFree([
    { port: p.sqs, owner: 'pnpm start:infra (SQS)' },
    { port: p.smtp, owner: 'pnpm start:infra (SMTP)' },
    { port: p.mailWeb, owner: 'pnpm start:infra (mail web)' },
    { port: p.order, owner: 'order service' },
    { port: p.processing, owner: 'processing service' },
  ]);
  const infra = pnpm('sqs', ['start:infra'], {}, [
    { kind: 'tcp', port: p.sqs },
    { kind: 'http', url: `${HOST}:${p.mailWeb}/email` },
  ]);
  parts.push(infra);
  await infra.start();
  const order = pnpm(
    'order',
    ['--filter', '@oms/order-service', 'start'],
    {
      SQLITE_PATH: path.join(dataDir, 'order-service.sqlite'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_READS_PER_MIN: '0',
    },
    [{ kind: 'http', url: `${HOST}:${p.order}/api/health/ready` }],
  );
  const processing = pnpm(
    'processing',
    ['--filter', '@oms/processing-service', 'start'],
    { SQLITE_PATH: path.join(dataDir, 'processing-service.sqlite') },
    [{ kind: 'http', url: `${HOST}:${p.processing}/processor/api/health/ready` }],
  );
  parts.push(order, processing);
  await Promise.all([order.start(), processing.start()]);
});

afterAll(async () => {
  await Promise.all(parts.slice(1).map((p) => p.stop()));
  await parts[0]?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  // Ctrl-C in each terminal leaves nothing behind: the next run (or `pnpm start`) finds its ports free.
  await assertPortsFree(Object.values(DEFAULT_PORTS).map((port) => ({ port, owner: 'a process the test left running' })));
});

test('each service finds the embedded SQS and mail catcher on its own and says which endpoints it uses', () => {
  const order = parts.find((p) => p.name === 'order')!;
  const processing = parts.find((p) => p.name === 'processing')!;
  expect(order.tail(200).join('\n')).toContain('using SQS at http://127.0.0.1:4566');
  expect(processing.tail(200).join('\n')).toContain('using SQS at http://127.0.0.1:4566 and SMTP at 127.0.0.1:1025');
});

test("README's order reaches PROCESSED and its confirmation lands in maildev", async () => {
  const api = apiClient(`${HOST}:${DEFAULT_PORTS.order}`);
  const admin = await api('POST', '/api/auth/login', { body: ADMIN });
  expect(admin.status).toBe(200);
  const sku = `KETTLE-${randomUUID().slice(0, 8)}`;
  const product = await api('POST', '/api/admin/products', {
    token: admin.body.accessToken as string,
    body: { sku, name: 'Copper kettle', priceCents: 100000, currency: 'INR', stock: 5 },
  });
  expect(product.status).toBe(201);
  const email = `asha-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct-horse-battery';
  expect((await api('POST', '/api/auth/register', { body: { username: 'asha', email, password } })).status).toBe(201);
  const login = await api('POST', '/api/auth/login', { body: { email, password } });
  const token = login.body.accessToken as string;
  const placed = await api('POST', '/api/orders', {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: { items: [{ productId: product.body.id as string, quantity: 2 }] },
  });
  expect(placed.status).toBe(201);
  expect(placed.body).toMatchObject({ status: 'PENDING', subtotalCents: 200000, taxCents: 36000, totalCents: 236000 });

  const done = await waitFor(
    'the order to be PROCESSED',
    () => api('GET', `/api/orders/${placed.body.id as string}`, { token }),
    (res) => res.body.status === 'PROCESSED',
    { timeoutMs: 60_000 },
  );
  expect(done.body.processedAt).toEqual(expect.any(String));
  const mails = await waitFor(
    'the confirmation email',
    () => caughtMails(`${HOST}:${DEFAULT_PORTS.mailWeb}`),
    (all) => all.some((m) => m.to.some((t) => t.address === email)),
    { timeoutMs: 30_000 },
  );
  expect(mails.filter((m) => m.to.some((t) => t.address === email))).toHaveLength(1);
});
