/**
 * One order, one trace: both services run as real processes exporting over OTLP/HTTP to a
 * collector this test runs on a free port. The trace context rides the outbox row, the SQS
 * message attribute and the status event back, so the request, the commit, both relays, the
 * processing, the email and the applied status are one connected tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { OrderDto } from '@oms/contracts';
import { REPO_ROOT } from '@oms/dev-stack';
import { apiClient, startSuiteStack, waitFor, type Api, type SuiteStack } from '../src';
import { formatTrace, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../src/otlp-receiver';

jest.setTimeout(180_000);

const ADMIN = { email: 'trace-admin@oms.test', password: 'Trace-admin-password-1' };
let receiver: OtlpReceiver;
let suite: SuiteStack | undefined;
let api: Api;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Export every 100 ms instead of every 5 s, so the test does not wait for the batch timer.
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
  suite = await startSuiteStack('tracing', {
    order: { ...otel, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, RATE_LIMIT_READS_PER_MIN: '0' },
    processing: otel,
  });
  api = apiClient(suite.stack.urls.order);
});

afterAll(async () => {
  await suite?.close();
  await receiver?.close();
});

const adminToken = async () => (await api('POST', '/api/auth/login', { body: ADMIN })).body.accessToken as string;

async function placeOrder(): Promise<string> {
  const admin = await adminToken();
  const product = await api('POST', '/api/admin/products', {
    token: admin,
    body: { sku: `TRACE-${randomUUID().slice(0, 8)}`, name: 'Teapot', priceCents: 5_000, currency: 'INR', stock: 3 },
  });
  expect(product.status).toBe(201);
  const email = `tracy-${randomUUID().slice(0, 8)}@shop.test`;
  const password = `Pw-${randomUUID()}`;
  expect((await api('POST', '/api/auth/register', { body: { username: 'tracy', email, password } })).status).toBe(201);
  const token = (await api('POST', '/api/auth/login', { body: { email, password } })).body.accessToken as string;
  const placed = await api('POST', '/api/orders', { token, body: { items: [{ productId: product.body.id, quantity: 1 }] } });
  expect(placed.status).toBe(201);
  const orderId = OrderDto.parse(placed.body).id;
  await waitFor(
    `order ${orderId} to reach PROCESSED`,
    async () => OrderDto.parse((await api('GET', `/api/orders/${orderId}`, { token })).body).status,
    (status) => status === 'PROCESSED',
  );
  return orderId;
}

describe('one trace per order across both services', () => {
  let orderId: string;
  let traceSpans: ReceivedSpan[];

  const isApplied = (s: ReceivedSpan) =>
    s.name === 'apply order.status-changed' && s.attributes['oms.order_id'] === orderId && s.attributes['oms.status'] === 'PROCESSED';

  beforeAll(async () => {
    orderId = await placeOrder();
    // Each service exports on its own schedule: wait until the applied status's span and all its ancestors arrived.
    const applied = await waitFor(
      'the exported span of the applied status',
      async () => receiver.spans.find(isApplied),
      (s) => s !== undefined,
    );
    traceSpans = await waitFor(
      'every span of the trace up to its root',
      async () => receiver.spans.filter((s) => s.traceId === applied!.traceId),
      (spans) => {
        const ids = new Set(spans.map((s) => s.spanId));
        return spans.every((s) => s.parentSpanId === null || ids.has(s.parentSpanId)) && spans.some((s) => s.parentSpanId === null);
      },
    );
    const tree = formatTrace(traceSpans);
    fs.mkdirSync(path.join(REPO_ROOT, 'artifacts/system-tests'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'artifacts/system-tests/trace.txt'), `trace ${applied!.traceId}\n${tree}\n`);
    console.log(`order ${orderId}, trace ${applied!.traceId}:\n${tree}`);
  });

  it('is one connected tree rooted at the HTTP request', () => {
    const ids = new Set(traceSpans.map((s) => s.spanId));
    const roots = traceSpans.filter((s) => s.parentSpanId === null);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'order-service', kind: 2 });
    expect(roots[0]!.name).toMatch(/^POST/);
    expect(traceSpans.filter((s) => s.parentSpanId !== null && !ids.has(s.parentSpanId))).toEqual([]);
    expect(new Set(traceSpans.map((s) => s.service))).toEqual(new Set(['order-service', 'processing-service']));
  });

  it('runs request -> commit -> relay publish -> processing -> email -> status publish -> status applied, parent to child', () => {
    const byId = new Map(traceSpans.map((s) => [s.spanId, s]));
    const applied = traceSpans.find(isApplied)!;
    const chain: string[] = [];
    for (let s: ReceivedSpan | undefined = applied; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
      chain.unshift(`${s.service}: ${s.name}`);
    }
    // Framework spans (fastify's request and handler) may sit between the HTTP span and the commit.
    expect(chain[0]).toMatch(/^order-service: POST/);
    expect(chain.slice(chain.indexOf('order-service: order commit'))).toEqual([
      'order-service: order commit',
      'order-service: publish orders',
      'processing-service: process order.placed',
      'processing-service: publish order-status',
      'order-service: apply order.status-changed',
    ]);
    const email = traceSpans.find((s) => s.name === 'send confirmation email');
    expect(email?.service).toBe('processing-service');
    expect(byId.get(email!.parentSpanId!)?.name).toBe('process order.placed');
    expect(traceSpans.filter((s) => s.attributes['oms.order_id'] !== undefined).map((s) => s.attributes['oms.order_id'])).toEqual(
      expect.arrayContaining([orderId]),
    );
  });

  it("writes the trace's id on the log lines of its work in both services", async () => {
    const traceId = traceSpans[0]!.traceId;
    const tagged = (l: string) => l.includes(`trace_id=${traceId}`);
    // The suite's log file (pino lines folded to key=value) is written as the services' output arrives.
    const lines = await waitFor(
      `log lines with trace_id ${traceId}`,
      async () => fs.readFileSync(path.join(REPO_ROOT, 'artifacts/system-tests/tracing.log'), 'utf8').split('\n').filter(tagged),
      (found) => ['/api/orders', 'order processed', 'order status updated'].every((text) => found.some((l) => l.includes(text))),
    );
    expect(lines.some((l) => l.startsWith('[order]') && l.includes('order status updated'))).toBe(true);
    expect(lines.some((l) => l.startsWith('[processing]') && l.includes('order processed'))).toBe(true);
  });
});

describe('instrumented libraries', () => {
  it("puts the AWS SDK calls a request makes into the request's trace", async () => {
    const res = await api('GET', '/api/admin/queues', { token: await adminToken() });
    expect(res.status).toBe(200);
    const sqsCall = await waitFor(
      'an SQS call inside the queue overview request',
      async () => {
        const request = receiver.spans.find((s) => s.name === 'GET /api/admin/queues' && s.parentSpanId === null);
        return request && receiver.spans.find((s) => s.traceId === request.traceId && s.name.startsWith('SQS.'));
      },
      (s) => s !== undefined,
    );
    expect(sqsCall).toMatchObject({ service: 'order-service', kind: 3, attributes: expect.objectContaining({ 'rpc.service': 'SQS' }) });
  });

  it('starts no trace for background queue polls', () => {
    // Both services long-poll their queues all along; a poll outside any trace is not a trace.
    expect(receiver.spans.filter((s) => s.parentSpanId === null && s.name.includes('receive'))).toEqual([]);
  });
});
