import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The light entry points load none of the heavy dependencies: a process that only needs config,
 * logging, retry or the outbox port never pays for fastify, mongoose, better-sqlite3 or the AWS SDK.
 * Checked in fresh Node processes (tsx), from a service that depends on every package.
 */
const SERVICE = path.resolve(__dirname, '../../../services/order-service');
const HEAVY = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(fastify|mongoose|better-sqlite3|@aws-sdk\/[^/]+)\//;

/** Requires each specifier in one fresh process; answers the heavy packages loaded and the errors thrown. */
function load(specifiers: string[]): { heavy: string[]; errors: Record<string, string> } {
  const script = `const errors = {};
    for (const s of ${JSON.stringify(specifiers)}) { try { require(s); } catch (e) { errors[s] = e.code || e.message; } }
    const heavy = new Set();
    for (const f of Object.keys(require.cache)) { const m = ${HEAVY}.exec(f); if (m) heavy.add(m[1]); }
    process.stdout.write(JSON.stringify({ heavy: [...heavy].sort(), errors }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: SERVICE, encoding: 'utf8', stdio: 'pipe' });
  return JSON.parse(out) as { heavy: string[]; errors: Record<string, string> };
}

it('the light entry points load no heavy dependency, and deep imports past the exports maps are refused', () => {
  const { heavy, errors } = load(['@oms/platform', '@oms/outbox', '@oms/contracts', '@oms/platform/src/mongo', '@oms/outbox/src/sqlite']);
  expect(heavy).toEqual([]);
  expect(errors).toEqual({
    '@oms/platform/src/mongo': 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    '@oms/outbox/src/sqlite': 'ERR_PACKAGE_PATH_NOT_EXPORTED',
  });
});

it('the subpaths load what they are for', () => {
  const { heavy, errors } = load(['@oms/platform/sqs', '@oms/outbox/mongo']);
  expect(errors).toEqual({});
  expect(heavy).toEqual(expect.arrayContaining(['mongoose', expect.stringMatching(/^@aws-sdk\//)]));
});
