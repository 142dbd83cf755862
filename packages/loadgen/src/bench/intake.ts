import autocannon from 'autocannon';
import { tierAt, type TierMix } from '@oms/contracts';
import type { Shopper } from '../client';

export interface IntakeResult {
  orders: number;
  seconds: number;
  ordersPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * Closed-loop HTTP intake with autocannon: `connections` keep-alive connections post `amount`
 * orders as fast as the service answers. Each request carries the token of a shopper of
 * tierAt(mix, n), so the orders follow the tier mix.
 */
export async function measureIntake(opts: {
  url: string;
  path: string;
  shoppers: Shopper[];
  productId: string;
  amount: number;
  connections: number;
  mix: TierMix;
}): Promise<IntakeResult> {
  const byTier = new Map<string, Shopper[]>();
  for (const s of opts.shoppers) byTier.set(s.tier, [...(byTier.get(s.tier) ?? []), s]);
  let n = 0;
  const body = JSON.stringify({ items: [{ productId: opts.productId, quantity: 1 }] });
  const started = performance.now();
  let lastAnswer = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        amount: opts.amount,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: opts.path,
            setupRequest: (req) => {
              const i = n++;
              const group = byTier.get(tierAt(opts.mix, i)) ?? opts.shoppers;
              const shopper = group[i % group.length]!;
              return { ...req, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper.token}` } };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err as Error) : resolve(res)),
    );
    instance.on('response', () => {
      lastAnswer = performance.now();
    });
  });
  // autocannon reports (and even resolves) on its 1 s ticks: the run ends at the last answer.
  const seconds = (lastAnswer - started) / 1000;
  const ok = result['2xx'];
  return {
    orders: ok,
    seconds,
    ordersPerSec: ok / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
