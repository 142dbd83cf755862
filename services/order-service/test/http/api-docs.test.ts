import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { json, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Operation = {
  summary?: string;
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  responses?: Record<string, unknown>;
};
type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
};

/** Every (method, path) the app serves under /api, read from fastify's route tree, in OpenAPI path syntax. */
function apiRoutes(tree: string): string[] {
  const found = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack.push(path);
    const normalized = path
      .replace(/\/+/g, '/')
      .replace(/(.)\/$/, '$1')
      .replace(/:(\w+)/g, '{$1}');
    if (!normalized.startsWith('/api/')) continue;
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') found.add(`${method.toLowerCase()} ${normalized}`);
  }
  return [...found].sort();
}

describe('OpenAPI document', () => {
  it('is an OpenAPI 3 document that lists every /api route with a summary, a tag and its responses', async () => {
    const res = await h.call({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = json<OpenApi>(res);
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });

    const served = apiRoutes(h.app.printRoutes({ commonPrefix: false }));
    expect(served).toEqual(
      expect.arrayContaining(['post /api/orders', 'get /api/orders/{id}', 'get /api/products', 'post /api/auth/login']),
    );
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(served);

    const tagNames = new Set(doc.tags.map((t) => t.name));
    const operationIds: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({ where, summary: true });
        expect(op.tags?.length && op.tags.every((t) => tagNames.has(t))).toBe(true);
        expect({ where, operationId: op.operationId }).toEqual({ where, operationId: expect.stringMatching(/^[a-z][A-Za-z]+$/) });
        operationIds.push(op.operationId!);
        expect(Object.keys(op.responses ?? {})).toContain('4XX');
        // Path parameters in the template are declared.
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          expect(op.parameters?.some((p) => p.in === 'path' && p.name === name)).toBe(true);
        }
        // Declared on every route: a Bearer token, or explicitly none.
        const security = /^\/api\/(orders|admin)|^\/api\/auth\/password$/.test(path) ? [{ bearerAuth: [] }] : [];
        expect({ where, security: op.security }).toEqual({ where, security });
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
    // Every $ref points at a schema the document carries.
    for (const [, ref] of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(doc.components.schemas).toHaveProperty(ref!);
    }
  });

  it('serves the UI at /docs with its own CSP, and keeps /metrics and /admin out of the document', async () => {
    const ui = await h.call({ url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/^text\/html/);
    expect(ui.headers['content-security-policy']).toMatch(/style-src 'self' 'unsafe-inline'/);
    const paths = Object.keys(json<OpenApi>(await h.call({ url: '/docs/json' })).paths);
    expect(paths.filter((p) => !p.startsWith('/api/'))).toEqual([]);
  });
});

const REPO_ROOT = path.resolve(__dirname, '../../../..');

describe('redocly lint (recommended rules, redocly.yaml) of the served document', () => {
  type Problem = { ruleId: string; severity: string; message: string; location: { pointer: string }[] };
  it('finds nothing: no errors, no warnings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      fs.writeFileSync(file, (await h.call({ url: '/docs/json' })).body);
      const cli = require.resolve('@redocly/cli/bin/cli.js');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [cli, 'lint', file, '--format', 'json', '--config', path.join(REPO_ROOT, 'redocly.yaml')],
        {
          // No usage telemetry or update check from a test run.
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      ).catch((err: Error & { stdout?: string }) => ({ stdout: err.stdout ?? err.message }));
      const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: Problem[] };
      const found = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      expect(found).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A node process that loads the whole CLI; slow on a busy machine.
  }, 60_000);
});
