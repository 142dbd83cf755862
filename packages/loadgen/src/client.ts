import { randomUUID } from 'node:crypto';
import { bearer, dataOf, omsApi, type OmsApi } from '@oms/api-client';
import { LoadRunDto, tierAt, type StartLoadRun, type Tier, type TierMix } from '@oms/contracts';

/** The order service as the load generator uses it, through the typed client (fetch keeps connections alive). */
export class OmsClient {
  readonly api: OmsApi;

  constructor(readonly baseUrl: string) {
    this.api = omsApi(baseUrl);
  }

  /** `admin`: registering as the admin, which addresses in the reserved load-test domain need. */
  async register(username: string, email: string, password: string, admin?: string): Promise<void> {
    const answer = await this.api.POST('/api/auth/register', { headers: admin ? bearer(admin) : {}, body: { username, email, password } });
    dataOf(answer, 'POST /api/auth/register');
  }

  async login(email: string, password: string): Promise<{ token: string; userId: string }> {
    const r = dataOf(await this.api.POST('/api/auth/login', { body: { email, password } }), 'POST /api/auth/login');
    return { token: r.accessToken, userId: r.user.id };
  }

  async setTier(admin: string, userId: string, tier: Tier): Promise<void> {
    const answer = await this.api.PATCH('/api/admin/users/{id}', {
      params: { path: { id: userId } },
      headers: bearer(admin),
      body: { tier },
    });
    dataOf(answer, 'PATCH /api/admin/users/{id}');
  }

  async createProduct(admin: string, stock: number): Promise<string> {
    const sku = `LOADGEN-${randomUUID().slice(0, 8)}`;
    const body = { sku, name: 'Load test tea 250g', priceCents: 45_000, currency: 'INR', stock };
    return dataOf(await this.api.POST('/api/admin/products', { headers: bearer(admin), body }), 'POST /api/admin/products').id;
  }

  /** `path`: the benchmark's naive route, which takes and answers what POST /api/orders does but is left out of the document. */
  async placeOrder(token: string, productId: string, path = '/api/orders'): Promise<{ id: string }> {
    const answer = await this.api.POST(path as '/api/orders', { headers: bearer(token), body: { items: [{ productId, quantity: 1 }] } });
    return dataOf(answer, `POST ${path}`);
  }

  async startRun(admin: string, spec: Partial<StartLoadRun> & Pick<StartLoadRun, 'mode' | 'orders'>): Promise<LoadRunDto> {
    return LoadRunDto.parse(
      dataOf(await this.api.POST('/api/admin/load-runs', { headers: bearer(admin), body: spec }), 'POST /api/admin/load-runs'),
    );
  }

  async currentRun(admin: string): Promise<LoadRunDto> {
    return LoadRunDto.parse(
      dataOf(await this.api.GET('/api/admin/load-runs/current', { headers: bearer(admin) }), 'GET /api/admin/load-runs/current'),
    );
  }

  async cancelRun(admin: string): Promise<LoadRunDto> {
    const answer = await this.api.POST('/api/admin/load-runs/current/cancel', { headers: bearer(admin) });
    return LoadRunDto.parse(dataOf(answer, 'POST /api/admin/load-runs/current/cancel'));
  }

  async resetRuns(admin: string): Promise<{ ordersDeleted: number }> {
    return dataOf(await this.api.POST('/api/admin/load-runs/reset', { headers: bearer(admin) }), 'POST /api/admin/load-runs/reset');
  }

  async history(admin: string, limit = 10): Promise<LoadRunDto[]> {
    const answer = await this.api.GET('/api/admin/load-runs/history', { headers: bearer(admin), params: { query: { limit } } });
    return dataOf(answer, 'GET /api/admin/load-runs/history').data.map((run) => LoadRunDto.parse(run));
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
    await client.register(`shopper_${tag}_${i}`, email, password, admin);
    const { token, userId } = await client.login(email, password);
    await client.setTier(admin, userId, tier);
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
