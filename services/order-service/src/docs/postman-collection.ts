import path from 'node:path';
import { promisify } from 'node:util';
import Converter from 'openapi-to-postmanv2';
import { OrderServiceEnv } from '../config';
import { buildApp } from '../http/app';
import { openSqliteOrderStore } from '../store/sqlite';

/** Committed; `pnpm postman` rewrites it and a test fails when it no longer matches the routes. */
export const POSTMAN_FILE = path.resolve(__dirname, '../../../../docs/postman/oms.postman_collection.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The OpenAPI document as /docs/json serves it, from an in-memory app (nothing listens). */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = await openSqliteOrderStore(':memory:');
  const app = await buildApp({ config: OrderServiceEnv.parse({ SQLITE_PATH: ':memory:' }), store });
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
  return Object.fromEntries(Object.entries(value).filter(([k]) => !RANDOM_KEYS.has(k)).map(([k, v]) => [k, withoutRandomIds(v)]));
}

/** The Postman v2.1 collection for a running `pnpm start` stack ({{baseUrl}} = http://localhost:8000), as file text. */
export async function postmanCollectionText(doc: Record<string, unknown>): Promise<string> {
  const spec = { ...doc, servers: [{ url: 'http://localhost:8000', description: 'pnpm start' }] };
  const convert = promisify(Converter.convert);
  const result = await convert(
    { type: 'json', data: spec as never },
    { folderStrategy: 'Tags', parametersResolution: 'Schema', requestNameSource: 'Fallback', enableOptionalParameters: false },
  );
  const collection = result?.result ? result.output?.[0]?.data : undefined;
  if (!collection) throw new Error(`OpenAPI -> Postman conversion failed: ${result?.reason ?? 'no collection produced'}`);
  const cleaned = withoutRandomIds(collection as unknown as Json) as { [key: string]: Json };
  return `${JSON.stringify(withLoginScript(cleaned), null, 2)}\n`;
}

/** "Log in" stores its access token in {{bearerToken}}, which every protected request sends. */
function withLoginScript(collection: { [key: string]: Json }): { [key: string]: Json } {
  const setToken = {
    listen: 'test',
    script: { type: 'text/javascript', exec: ["if (pm.response.code === 200) pm.collectionVariables.set('bearerToken', pm.response.json().accessToken);"] },
  };
  const visit = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const url = (node.request as { url?: { path?: string[] } } | undefined)?.url;
    if (url?.path?.join('/') === 'api/auth/login') return { ...node, event: [setToken] };
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
  };
  const variable = [...((collection.variable as Json[] | undefined) ?? []), { type: 'string', value: '', key: 'bearerToken' }];
  return { ...(visit(collection) as { [key: string]: Json }), variable };
}
