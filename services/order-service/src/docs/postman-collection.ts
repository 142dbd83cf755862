import path from 'node:path';
import { promisify } from 'node:util';
import Converter from 'openapi-to-postmanv2';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, OrderServiceEnv } from '../config';
import { openSqliteOrderStore } from '../infrastructure/sqlite';
import { composeHttp } from '../service';
import { NOT_IN_COLLECTION, POSTMAN_FLOW, type Caller, type FlowStep } from './postman-flow';

/** Committed; `pnpm postman` rewrites it and a test fails when it no longer matches the routes. */
export const POSTMAN_FILE = path.resolve(__dirname, '../../../../docs/postman/oms.postman_collection.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The OpenAPI document as /docs/json serves it, from an in-memory app (nothing listens). */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = await openSqliteOrderStore(':memory:');
  const { app } = await composeHttp(OrderServiceEnv.parse({ SQLITE_PATH: ':memory:' }), store);
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await store.close();
  }
}

/**
 * What the converter makes up afresh on every run: uuids (optional in the collection format) and
 * response examples faked at random from the schemas (the schemas are in /docs). Dropping them
 * makes regeneration diff-free.
 */
const RANDOM_KEYS = new Set(['id', '_postman_id', 'response']);

function withoutRandomIds(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutRandomIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !RANDOM_KEYS.has(k))
      .map(([k, v]) => [k, withoutRandomIds(v)]),
  );
}

/** The Postman v2.1 collection for a running `pnpm start` stack ({{baseUrl}} = http://localhost:8000), as file text. */
export async function postmanCollectionText(doc: Record<string, unknown>): Promise<string> {
  const spec = { ...doc, servers: [{ url: 'http://localhost:8000', description: 'pnpm start' }] };
  const convert = promisify(Converter.convertV2);
  const result = await convert(
    { type: 'json', data: spec },
    { folderStrategy: 'Tags', parametersResolution: 'Example', requestNameSource: 'Fallback', enableOptionalParameters: false },
  );
  const collection = result?.result ? result.output?.[0]?.data : undefined;
  if (!collection) throw new Error(`OpenAPI -> Postman conversion failed: ${result?.reason ?? 'no collection produced'}`);
  const cleaned = withoutRandomIds(collection as unknown as Json) as { [key: string]: Json };
  return `${JSON.stringify(asFlow(cleaned, requestsByOperation(doc, cleaned)), null, 2)}\n`;
}

type Item = { [key: string]: Json } & { request: Request };
type Request = {
  method: string;
  url: { path: string[]; query: { key: string; value: string; disabled?: boolean }[]; variable: { key: string; value: Json }[] };
  header: { key: string; value: string; disabled?: boolean }[];
  body?: Json;
  auth?: Json;
};

/** The converter's request of each operationId (it names requests by summary, so match on method and path). */
function requestsByOperation(doc: Record<string, unknown>, collection: Json): Map<string, Item> {
  const items = new Map<string, Item>();
  const walk = (node: Json): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    if (node.request) {
      const item = node as Item;
      items.set(`${item.request.method} /${item.request.url.path.join('/')}`, item);
    } else (node.item as Json[] | undefined)?.forEach(walk);
  };
  walk(collection);
  const byOperation = new Map<string, Item>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const item = items.get(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
      if (!op.operationId || !item) throw new Error(`${method} ${path}: no operationId or no converted request`);
      byOperation.set(op.operationId, item);
    }
  }
  return byOperation;
}

const AUTH: Record<Caller, Json> = {
  admin: { type: 'bearer', bearer: [{ key: 'token', value: '{{adminToken}}', type: 'string' }] },
  shopper: { type: 'bearer', bearer: [{ key: 'token', value: '{{shopperToken}}', type: 'string' }] },
  public: { type: 'noauth' },
};

const script = (listen: 'test' | 'prerequest', exec: string[]): Json => ({ listen, script: { type: 'text/javascript', exec } });

function stepItem(step: FlowStep, item: Item): Json {
  const { request } = item;
  const tests = [
    `pm.test(${JSON.stringify(`${step.name}: ${step.expect}`)}, () => pm.response.to.have.status(${step.expect}));`,
    ...(step.save || step.checks ? ['const body = pm.response.text() ? pm.response.json() : null;'] : []),
    ...Object.entries(step.save ?? {}).map(
      ([name, expr]) => `if (pm.response.code === ${step.expect}) pm.collectionVariables.set('${name}', ${expr});`,
    ),
    ...(step.checks ?? []).map((line) => `pm.test(${JSON.stringify(`${step.name}: answer`)}, () => { ${line} });`),
  ];
  const headers = request.header.filter((h) => !(h.key.toLowerCase() in (step.headers ?? {})));
  return {
    name: step.name,
    request: {
      ...request,
      name: step.name,
      auth: AUTH[step.as],
      header: [...headers, ...Object.entries(step.headers ?? {}).map(([key, value]) => ({ key, value }))],
      url: {
        ...request.url,
        query: request.url.query
          .filter((q) => !step.query || !(q.key in step.query))
          .concat(Object.entries(step.query ?? {}).map(([key, value]) => ({ key, value }))),
        variable: request.url.variable.map((v) => ({ ...v, value: step.path?.[v.key] ?? v.value })),
      },
      ...(step.body !== undefined && {
        body: { mode: 'raw', raw: JSON.stringify(step.body, null, 2), options: { raw: { language: 'json' } } },
      }),
    },
    event: [...(step.before ? [script('prerequest', step.before)] : []), script('test', tests)],
  };
}

const VARIABLES: Record<string, string> = {
  baseUrl: 'http://localhost:8000',
  // The seeded admin's development defaults; set them to ADMIN_EMAIL / ADMIN_PASSWORD of the server you run against.
  adminEmail: DEV_ADMIN_EMAIL,
  adminPassword: DEV_ADMIN_PASSWORD,
  shopperPassword: 'correct-horse-battery',
  runTag: '',
  adminToken: '',
  shopperToken: '',
  shopperRefreshToken: '',
  shopperId: '',
  productId: '',
  orderId: '',
};

/** The converted requests arranged as POSTMAN_FLOW; fails when an operation is in neither the flow nor NOT_IN_COLLECTION. */
function asFlow(collection: { [key: string]: Json }, byOperation: Map<string, Item>): Json {
  const used = new Set(POSTMAN_FLOW.flatMap((f) => f.steps.map((s) => s.operationId)));
  const missing = [...byOperation.keys()].filter((op) => !used.has(op) && !NOT_IN_COLLECTION.has(op));
  if (missing.length > 0) throw new Error(`operations missing from POSTMAN_FLOW: ${missing.join(', ')}`);
  const info = collection.info as { [key: string]: Json };
  return {
    info: {
      ...info,
      description: {
        type: 'text/plain',
        content:
          `${(info.description as { content?: string } | undefined)?.content ?? ''}\n\n` +
          'Run it top to bottom (Run collection, or `newman run`) against `pnpm start`: it logs in the development admin ' +
          '(adminEmail / adminPassword variables), creates a product, registers and logs in a shopper, places and reads an order, ' +
          'finds it as the admin, then calls every other operation once. Test scripts store tokens and ids in collection variables. ' +
          'The live stream (GET /api/orders/stream) is not in it: a stream does not end, see /admin.',
      },
    },
    item: POSTMAN_FLOW.map((folder) => ({
      name: folder.name,
      description: folder.description,
      item: folder.steps.map((step) => {
        const item = byOperation.get(step.operationId);
        if (!item) throw new Error(`POSTMAN_FLOW names ${step.operationId}, which the document does not have`);
        return stepItem(step, item);
      }),
    })),
    variable: Object.entries(VARIABLES).map(([key, value]) => ({ key, value, type: 'string' })),
  };
}
