import { randomUUID } from 'node:crypto';
import { LoadRunDto, tierAt, type StartLoadRun, type Tier, type TierMix } from '@oms/contracts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 300)}`);
  }
}

/** The order service as the load generator uses it: plain fetch (undici keeps connections alive). */
export class OmsClient {
  constructor(readonly baseUrl: string) {}

  async call<T>(method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new HttpError(res.status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async login(email: string, password: string): Promise<{ token: string; userId: string }> {
    const r = await this.call<{ accessToken: string; user: { id: string } }>('POST', '/api/auth/login', { body: { email, password } });
    return { token: r.accessToken, userId: r.user.id };
  }

  async createProduct(admin: string, stock: number): Promise<string> {
    const sku = `LOADGEN-${randomUUID().slice(0, 8)}`;
    const p = await this.call<{ id: string }>('POST', '/api/admin/products', {
      token: admin,
      body: { sku, name: 'Load test tea 250g', priceCents: 45_000, currency: 'INR', stock },
    });
    return p.id;
  }

  placeOrder(token: string, productId: string, path = '/api/orders'): Promise<{ id: string }> {
    return this.call('POST', path, { token, body: { items: [{ productId, quantity: 1 }] } });
  }

  startRun(admin: string, spec: Partial<StartLoadRun> & Pick<StartLoadRun, 'mode' | 'orders'>): Promise<LoadRunDto> {
    return this.call('POST', '/api/admin/load-runs', { token: admin, body: spec });
  }

  async currentRun(admin: string): Promise<LoadRunDto> {
    return LoadRunDto.parse(await this.call('GET', '/api/admin/load-runs/current', { token: admin }));
  }

  cancelRun(admin: string): Promise<LoadRunDto> {
    return this.call('POST', '/api/admin/load-runs/current/cancel', { token: admin });
  }

  resetRuns(admin: string): Promise<{ ordersDeleted: number }> {
    return this.call('POST', '/api/admin/load-runs/reset', { token: admin });
  }

  async history(admin: string, limit = 10): Promise<LoadRunDto[]> {
    return (await this.call<{ data: LoadRunDto[] }>('GET', `/api/admin/load-runs/history?limit=${limit}`, { token: admin })).data;
  }
}

export interface Shopper {
  tier: Tier;
  token: string;
}

/** Generated shoppers use the reserved domain the order service's reset wipes (LOADGEN_EMAIL_DOMAIN). */
export const SHOPPER_EMAIL_DOMAIN = 'loadgen.invalid';

/** Registers `count` shoppers, gives each a tier from the mix (admin PATCH) and logs them in; a few at a time (argon2 is slow on purpose). */
export async function createShoppers(client: OmsClient, admin: string, count: number, mix: TierMix): Promise<Shopper[]> {
  const tag = randomUUID().slice(0, 8);
  const shoppers: Shopper[] = [];
  const one = async (i: number): Promise<Shopper> => {
    const tier = tierAt(mix, i);
    const email = `shopper-${tag}-${i}@${SHOPPER_EMAIL_DOMAIN}`;
    const password = `Loadgen-${randomUUID()}`;
    // As admin: the reserved domain is refused to anyone else.
    await client.call('POST', '/api/auth/register', { token: admin, body: { username: `shopper_${tag}_${i}`, email, password } });
    const { token, userId } = await client.login(email, password);
    await client.call('PATCH', `/api/admin/users/${userId}`, { token: admin, body: { tier } });
    return { tier, token };
  };
  for (let i = 0; i < count; i += 4) {
    shoppers.push(...(await Promise.all(Array.from({ length: Math.min(4, count - i) }, (_, k) => one(i + k)))));
  }
  return shoppers;
}

/**
 * Api mode: `concurrency` shoppers post orders back to back until `total` were accepted. The n-th
 * order goes to a shopper of tierAt(mix, n), so the orders follow the mix even with few shoppers.
 */
export async function postOrders(opts: {
  client: OmsClient;
  shoppers: Shopper[];
  productId: string;
  total: number;
  concurrency: number;
  mix: TierMix;
  path?: string;
  signal?: AbortSignal;
  onError?: (err: unknown) => void;
}): Promise<{ ok: number; failed: number }> {
  const byTier = new Map<Tier, Shopper[]>();
  for (const s of opts.shoppers) byTier.set(s.tier, [...(byTier.get(s.tier) ?? []), s]);
  let next = 0;
  let ok = 0;
  let failed = 0;
  const worker = async () => {
    while (!opts.signal?.aborted) {
      const n = next++;
      if (n >= opts.total) return;
      const group = byTier.get(tierAt(opts.mix, n)) ?? opts.shoppers;
      const shopper = group[n % group.length]!;
      try {
        await opts.client.placeOrder(shopper.token, opts.productId, opts.path);
        ok++;
      } catch (err) {
        failed++;
        opts.onError?.(err);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { ok, failed };
}
