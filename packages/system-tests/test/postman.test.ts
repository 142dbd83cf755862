/**
 * The committed Postman collection, run top to bottom with newman against the whole stack as real
 * processes: every request must answer the status its test script expects (the demo flow and then
 * every other operation, with the tokens and ids earlier requests stored).
 */
import fs from 'node:fs';
import path from 'node:path';
import newman, { type NewmanRunSummary } from 'newman';
import { REPO_ROOT } from '@oms/dev-stack';
import { startSuiteStack, type SuiteStack } from '../src';

// Start-up compiles both services with tsx; generous for a loaded 2-core CI machine.
jest.setTimeout(180_000);

const COLLECTION = path.join(REPO_ROOT, 'docs/postman/oms.postman_collection.json');
let suite: SuiteStack | undefined;

beforeAll(async () => {
  // The server's own defaults: the collection logs in the development admin.
  suite = await startSuiteStack('postman', {});
});

afterAll(async () => {
  await suite?.close();
});

function run(baseUrl: string): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection: JSON.parse(fs.readFileSync(COLLECTION, 'utf8')),
        envVar: [{ key: 'baseUrl', value: baseUrl }],
        reporters: [],
        timeoutRequest: 30_000,
      },
      (err, summary) => (err ? reject(err) : resolve(summary)),
    );
  });
}

it('runs green with newman: the demo flow, then every other operation', async () => {
  const summary = await run(suite!.stack.urls.order);
  const answered = summary.run.executions.map((e) => `${e.item.name}: ${e.response?.code ?? 'no answer'}`);
  const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`);
  expect(failures).toEqual([]);
  expect(answered.slice(0, 8)).toEqual([
    'Log in as the admin: 200',
    'Create a product: 201',
    'Register a shopper: 201',
    'Log in as the shopper: 200',
    'Place an order: 201',
    'Read the order: 200',
    'Find the order as the admin: 200',
    'Queue monitor: 200',
  ]);
  expect(summary.run.stats.requests).toMatchObject({ total: answered.length, failed: 0 });
  // Every request carries at least its status assertion, and all of them held.
  expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(answered.length);
  expect(summary.run.stats.assertions.failed).toBe(0);
  console.log(`newman: ${answered.length} requests, ${summary.run.stats.assertions.total} assertions, 0 failed`);
});
