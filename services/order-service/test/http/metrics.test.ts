import { applyStatusEvent } from '../../src/application/orders/order-status-updates';
import { relayPublishObserver, withStoreMetrics } from '../../src/infrastructure/metrics';
import { OrderStatusChangedEvent } from '@oms/contracts';
import { makeEvent } from '@oms/platform';
import { adminLogin, bearer, createProduct, json, registerAndLogin, startHarness, userWithTier, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { RATE_LIMIT_READS_PER_MIN: '1' } });
});
afterAll(() => h.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format -> samples (enough of the format for our own series). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable metrics line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

async function scrape() {
  const res = await h.call({ url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = parse(res.body);
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  return { samples, names: new Set(samples.map((s) => s.name)), value };
}

describe('GET /metrics (Prometheus)', () => {
  it('exposes process defaults and every series of the service, without auth or rate limit', async () => {
    for (let i = 0; i < 3; i++) await scrape(); // the read limit is 1/min here
    const { names } = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
      'http_request_duration_seconds_bucket',
      'oms_outbox_backlog',
      'oms_outbox_oldest_pending_age_seconds',
      'oms_outbox_publish_latency_seconds_count',
      'oms_cache_hits_total',
      'oms_cache_misses_total',
      'oms_cache_hit_ratio',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('moves the order, backlog and latency series when an order is placed', async () => {
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: 10 });
    const [bronze, vip] = [await registerAndLogin(h.call), await userWithTier(h, 'DIAMOND')];
    const before = await scrape();

    for (const shopper of [bronze, vip]) {
      const res = await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(shopper.token),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      });
      expect(res.statusCode).toBe(201);
    }
    await h.call({ url: `/api/products/${product.id}` });
    const after = await scrape();

    const delta = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(delta('oms_orders_placed_total', { tier: 'BRONZE', priority: 'NORMAL' })).toBe(1);
    expect(delta('oms_orders_placed_total', { tier: 'DIAMOND', priority: 'VIP' })).toBe(1);
    // No relay runs in this harness: both events wait in the outbox.
    expect(delta('oms_outbox_backlog', { status: 'pending' })).toBe(2);
    expect(after.value('oms_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    // Labelled by route pattern, never by the raw URL with its id.
    expect(delta('http_request_duration_seconds_count', { route: '/api/orders', method: 'POST', status_code: '201' })).toBe(2);
    expect(delta('http_request_duration_seconds_count', { route: '/api/products/:id', method: 'GET', status_code: '200' })).toBe(1);
    expect(after.samples.some((s) => s.labels.route?.includes(product.id))).toBe(false);
  });

  it('counts relay publish latency and applied / ignored status events as the service wiring feeds them', async () => {
    const admin = (await adminLogin(h.call)).token;
    const product = await createProduct(h.call, admin, { stock: 10 });
    const shopper = await registerAndLogin(h.call);
    const order = json(
      await h.call({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(shopper.token),
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      }),
    );
    const before = await scrape();

    relayPublishObserver(h.metrics)(2, [120, 2_500]);
    const store = withStoreMetrics(h.store, h.metrics);
    const event = OrderStatusChangedEvent.parse(
      makeEvent<OrderStatusChangedEvent>(
        'order.status-changed',
        { orderId: order.id, status: 'PROCESSING', processedAt: new Date().toISOString(), processingTimeMs: 5 },
        'processing-service',
      ),
    );
    expect(await applyStatusEvent(store, event)).not.toBeNull();
    expect(await applyStatusEvent(store, event)).toBeNull(); // duplicate delivery

    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(delta('oms_outbox_publish_latency_seconds_count')).toBe(2);
    expect(delta('oms_outbox_publish_latency_seconds_sum')).toBeCloseTo(2.62, 6);
    expect(delta('oms_order_status_events_total', { result: 'applied', status: 'PROCESSING' })).toBe(1);
    expect(delta('oms_order_status_events_total', { result: 'ignored', status: 'PROCESSING' })).toBe(1);
  });
});
