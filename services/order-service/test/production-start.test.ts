/**
 * The production refusals as a real process: `node --import tsx src/main.ts` with NODE_ENV=production
 * must exit non-zero with ONE stderr line naming the variable, before it opens anything. A control
 * run with good values starts and answers /api/health, so the refusals are about the values.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeStackPorts } from '@oms/dev-stack';

jest.setTimeout(120_000);

const SERVICE_DIR = path.resolve(__dirname, '..');
const GOOD = { JWT_SECRET: randomBytes(32).toString('base64'), ADMIN_PASSWORD: 'an admin passphrase of our own' };
let dir: string;
let ports: Awaited<ReturnType<typeof freeStackPorts>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-prod-start-'));
  ports = await freeStackPorts();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stderr: string;
  /** Status of GET /api/health while it ran (control run only). */
  health?: number;
}

/** Runs the service with only these variables (plus PATH); `probe` waits for /api/health, then stops it. */
function runService(env: Record<string, string>, probe = false): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVICE_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(ports.order),
      HOST: '127.0.0.1',
      SQLITE_PATH: path.join(dir, `orders-${randomBytes(4).toString('hex')}.sqlite`),
      // Nothing listens there: a service that got past its config answers /api/health regardless.
      SQS_ENDPOINT: `http://127.0.0.1:${ports.sqs}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return (async () => {
    let health: number | undefined;
    if (probe) {
      const gone = exited.then(() => true);
      while (health === undefined && !(await Promise.race([gone, new Promise<false>((r) => setTimeout(() => r(false), 200))]))) {
        health = await fetch(`http://127.0.0.1:${ports.order}/api/health`).then(
          (r) => r.status,
          () => undefined,
        );
      }
      child.kill('SIGTERM');
    }
    const code = await exited;
    clearTimeout(killer);
    return { code, stderr, ...(health !== undefined && { health }) };
  })();
}

const refusedNaming = (run: Run, name: string) => {
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull();
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^config error: ${name}: `));
};

it('control: with its own secret and admin password it starts and answers', async () => {
  const run = await runService(GOOD, true);
  expect(run.health).toBe(200);
});

it('refuses to start with only JWT_SECRET set (no ADMIN_PASSWORD: the published admin login would work)', async () => {
  refusedNaming(await runService({ JWT_SECRET: GOOD.JWT_SECRET }), 'ADMIN_PASSWORD');
});

it('refuses the published admin password', async () => {
  refusedNaming(await runService({ ...GOOD, ADMIN_PASSWORD: 'Admin@123' }), 'ADMIN_PASSWORD');
});

it.each([
  ['unset', undefined],
  ['the old compose fallback', 'compose-dev-only-jwt-secret-change-me-please-0123456789'],
  ['the code default', 'dev-only-insecure-jwt-secret-do-not-use-in-production'],
  ['32 a', 'a'.repeat(32)],
  ['shorter than 32', 'k3Y!'.repeat(5)],
])('refuses JWT_SECRET %s', async (_what, secret) => {
  const env: Record<string, string> = { ADMIN_PASSWORD: GOOD.ADMIN_PASSWORD };
  if (secret !== undefined) env.JWT_SECRET = secret;
  refusedNaming(await runService(env), 'JWT_SECRET');
});

it('refuses CORS_ORIGINS=*', async () => {
  refusedNaming(await runService({ ...GOOD, CORS_ORIGINS: '*' }), 'CORS_ORIGINS');
});

it('refuses the naive-publish benchmark route unless load-test endpoints are enabled on purpose', async () => {
  refusedNaming(await runService({ ...GOOD, BENCH_NAIVE_PUBLISH: 'true' }), 'BENCH_NAIVE_PUBLISH');
});
