import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { seedAdmin } from '../../src/application/identity/auth';
import { hashPassword } from '../../src/application/identity/passwords';
import type { OrderServiceStore } from '../../src/application/ports';
import type { User } from '../../src/domain/user';
import { OrderServiceEnv, type OrderServiceConfig } from '../../src/config';
import { newId } from '../../src/application/shared/ids';
import { openSqliteOrderStore } from '../../src/infrastructure/sqlite';
import { composeHttp, type HttpOptions } from '../../src/service';
import type { OrderServiceMetrics } from '../../src/infrastructure/metrics';

export const ADMIN = { email: 'admin@test.local', password: 'Admin-Secret-1' };
/** A JWT secret production accepts (random, so no run reuses one). */
export const PRODUCTION_SECRET = randomBytes(32).toString('base64url');

export interface Res {
  statusCode: number;
  /** Lower-cased names; set-cookie is kept apart in setCookies. */
  headers: Record<string, string>;
  setCookies: string[];
  body: string;
}

export interface Call {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  payload?: unknown;
  /** Sent as-is (bad JSON, huge bodies). */
  rawBody?: string;
}

export type Caller = (call: Call) => Promise<Res>;

export interface Harness {
  app: FastifyInstance;
  /** The service's Prometheus metrics, for feeding the series the relay and consumer feed in production. */
  metrics: OrderServiceMetrics;
  /** http://127.0.0.1:<port> of the listening app, for requests `call` does not cover (streams). */
  baseUrl: string;
  /** One HTTP request over a real socket to the listening app. */
  call: Caller;
  store: OrderServiceStore;
  config: OrderServiceConfig;
  /** How often the relay was nudged (once per created order). */
  nudges: () => number;
  close(): Promise<void>;
}

/** The real app on a real SQLite file in a fresh temp dir; no queue broker (relay nudges are counted). */
export async function startHarness(opts: { env?: Record<string, string>; deps?: HttpOptions } = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-http-'));
  const config = OrderServiceEnv.parse({
    NODE_ENV: 'test',
    SQLITE_PATH: path.join(dir, 'orders.sqlite'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Suites register many shoppers from 127.0.0.1; the registration limit has its own tests.
    RATE_LIMIT_REGISTER_PER_MIN: '0',
    ...opts.env,
  });
  const store = await openSqliteOrderStore(config.SQLITE_PATH);
  await seedAdmin({ store, now: () => new Date() }, { email: ADMIN.email, password: ADMIN.password });
  let nudges = 0;
  const { app, metrics } = await composeHttp(config, store, { onOrderPlaced: () => nudges++, ...opts.deps });
  // A real socket (not app.inject: light-my-request needs the ESM-only `cookie` 2, which jest cannot load).
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    metrics,
    baseUrl: base,
    call: (c) => call(base, c),
    store,
    config,
    nudges: () => nudges,
    async close() {
      await app.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function call(base: string, c: Call): Promise<Res> {
  const headers: Record<string, string> = { ...c.headers };
  let body: string | undefined = c.rawBody;
  if (c.payload !== undefined) {
    body = JSON.stringify(c.payload);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + c.url, { method: c.method ?? 'GET', headers, body });
  return {
    statusCode: res.status,
    headers: Object.fromEntries(res.headers),
    setCookies: res.headers.getSetCookie(),
    body: await res.text(),
  };
}

export const json = <T = any>(res: Res): T => JSON.parse(res.body) as T;
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let seq = 0;
export async function registerAndLogin(call: Caller, name = `shopper${++seq}`) {
  const email = `${name}@example.test`;
  const password = 'correct horse battery';
  const reg = await call({ method: 'POST', url: '/api/auth/register', payload: { username: name, email, password } });
  if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.body}`);
  return { ...(await login(call, email, password)), email, password };
}

export async function login(call: Caller, email: string, password: string) {
  const res = await call({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const body = json<{ accessToken: string; refreshToken: string; user: { id: string } }>(res);
  return { token: body.accessToken, refreshToken: body.refreshToken, userId: body.user.id };
}

export const adminLogin = (call: Caller) => login(call, ADMIN.email, ADMIN.password);

/** A shopper in a tier registration cannot give (tiers come from elsewhere, e.g. the load generator). */
export async function userWithTier(h: Harness, tier: User['tier']) {
  const id = newId();
  const password = 'diamond hands forever';
  await h.store.createUser({
    id,
    username: `vip_${id.slice(0, 6)}`,
    email: `${id}@example.test`,
    passwordHash: await hashPassword(password),
    role: 'customer',
    tier,
    createdAt: new Date(),
  });
  return login(h.call, `${id}@example.test`, password);
}

export async function createProduct(
  call: Caller,
  adminToken: string,
  over: Partial<{ sku: string; name: string; priceCents: number; currency: string; stock: number }> = {},
) {
  const res = await call({
    method: 'POST',
    url: '/api/admin/products',
    headers: bearer(adminToken),
    payload: { sku: `SKU-${++seq}`, name: `Product ${seq}`, priceCents: 100_000, currency: 'INR', stock: 5, ...over },
  });
  if (res.statusCode !== 201) throw new Error(`create product failed: ${res.body}`);
  return json<{ id: string; sku: string; stock: number; priceCents: number }>(res);
}

export function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = json(res);
  expect(body).toMatchObject({ status, code, type: `urn:oms:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body).not.toHaveProperty('stack');
  return body;
}
