import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { SMTPServer } from 'smtp-server';
import { createHarness, type Harness } from '../support/harness';
import { orderPlaced } from '../support/orders';
import { freePort } from '@oms/dev-stack';
import { eventually, startInfra, type Infra, type Mail } from '../support/infra';

jest.setTimeout(60_000);

let infra: Infra;
let harness: Harness | null = null;

beforeAll(async () => {
  infra = await startInfra();
});
afterAll(async () => {
  await infra?.stop();
});
afterEach(async () => {
  await harness?.stop();
  harness = null;
});

const mailsFor = async (orderId: string): Promise<Mail[]> => (await infra.emails()).filter((m) => m.subject.includes(orderId));
/** The HTML part travels as 7bit with non-ASCII characters as numeric references (infrastructure/smtp/mime.ts). */
const decodeRefs = (html: string) => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

async function startService(env: Record<string, string> = {}): Promise<Harness> {
  harness = await createHarness(infra.stack.urls.sqs, { SMTP_PORT: String(infra.stack.ports.smtp), ...env });
  return harness;
}

describe('processing service against fauxqs and maildev', () => {
  it('emails the customer once and reports PROCESSED with when processing started', async () => {
    // A quick order is not announced as PROCESSING (PROCESSING_STATUS_AFTER_MS), only completed.
    const h = await startService({ PROCESSING_STATUS_AFTER_MS: '10000' });
    await h.start();
    const event = orderPlaced();
    const { orderId } = event.data;
    await h.send(h.queues.orders, JSON.stringify(event));

    const [mail] = await eventually(async () => ((await mailsFor(orderId)).length ? mailsFor(orderId) : undefined));
    expect(mail!.to).toEqual([expect.objectContaining({ address: 'asha@example.com' })]);
    expect(mail!.subject).toContain(orderId);
    for (const part of [decodeRefs(mail!.html), mail!.text]) {
      expect(part).toContain(orderId);
      expect(part).toContain('Assam Tea 250g');
      expect(part).toContain('₹1,414.82');
    }

    const [processed] = await eventually(async () => {
      const events = (await h.statusEvents()).filter((e) => e.data.orderId === orderId);
      return events.length >= 1 ? events : undefined;
    });
    expect(processed!.data).toMatchObject({ status: 'PROCESSED', note: 'processed without priority', startedAt: expect.any(String) });
    expect(Date.parse(processed!.data.startedAt!)).toBeLessThanOrEqual(Date.parse(processed!.data.processedAt));
    expect(processed!.source).toBe('processing-service');

    expect(await h.service.store.getInbox(event.id)).toMatchObject({ state: 'done', emailMessageId: expect.any(String) });
    await eventually(async () => ((await h.depth(h.queues.orders)) === 0 ? true : undefined));
    await eventually(async () => ((await h.service.store.outboxStats(new Date())).pending === 0 ? true : undefined));
    expect((await h.statusEvents()).filter((e) => e.data.orderId === orderId)).toHaveLength(1);
  });

  it('delivers names and prices outside ASCII intact in the subject, text and HTML', async () => {
    const h = await startService({ MAIL_FROM: 'Boutique Zoë <orders@oms.test>' });
    await h.start();
    const event = orderPlaced({ orderId: 'ord-ünïcode-1', customer: { name: 'Zoë Ñandú 山田', email: 'zoe@example.com' } });
    await h.send(h.queues.orders, JSON.stringify(event));
    const [mail] = await eventually(async () => ((await mailsFor('ord-ünïcode-1')).length ? mailsFor('ord-ünïcode-1') : undefined));
    expect(mail!.subject).toBe('Order ord-ünïcode-1 confirmed');
    expect(mail!.text).toContain('Zoë Ñandú 山田');
    expect(mail!.text).toContain('₹1,414.82');
    expect(decodeRefs(mail!.html)).toContain('Zoë Ñandú 山田');
    expect((mail as Mail & { from: { name: string; address: string }[] }).from).toEqual([
      { name: 'Boutique Zoë', address: 'orders@oms.test' },
    ]);
  });

  it('answers health and readiness, and unknown routes with problem+json', async () => {
    const h = await startService();
    await h.start();
    const base = await h.listen();
    const live = await fetch(`${base}/processor/api/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/processor/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { db: 'ok', queue: 'ok', smtp: 'ok' } });
    const missing = await fetch(`${base}/processor/api/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(await missing.json()).toMatchObject({
      type: 'urn:oms:problem:route-not-found',
      status: 404,
      code: 'route-not-found',
      title: 'Not Found',
    });
    // Refusals raised before any route runs answer in the same format as the order service's.
    for (const [init, status, code] of [
      [{ url: `${base}/processor/api/health/%E0%A4%A` }, 400, 'bad-url'],
      [{ url: `${base}/metrics`, headers: { 'x-big': 'x'.repeat(20_000) } }, 431, 'headers-too-large'],
    ] as const) {
      const res = await fetch(init.url, { headers: 'headers' in init ? init.headers : {} });
      expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
        status,
        type: 'application/problem+json; charset=utf-8',
      });
      expect(await res.json()).toMatchObject({ status, code });
    }
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^processing_outbox_pending 0$/m);
  });

  it('exports per-queue, email and VIP / normal processing-time metrics', async () => {
    const h = await startService();
    await h.start();
    const vip = orderPlaced({ tier: 'DIAMOND', priority: 'VIP' });
    const normal = orderPlaced();
    await h.send(h.queues.ordersPriority, JSON.stringify(vip));
    await h.send(h.queues.orders, JSON.stringify(normal));
    for (const e of [vip, normal]) {
      await eventually(async () => ((await h.service.store.getInbox(e.id))?.state === 'done' ? true : undefined));
    }

    const text = await (await fetch(`${await h.listen()}/metrics`)).text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value(`processing_messages_total{queue="${h.queues.ordersPriority.name}",result="processed"}`)).toBe(1);
    expect(value(`processing_messages_total{queue="${h.queues.orders.name}",result="processed"}`)).toBe(1);
    expect(value('processing_emails_total{result="sent"}')).toBe(2);
    expect(value('processing_orders_completed_total{priority="VIP",status="PROCESSED"}')).toBe(1);
    expect(value('processing_orders_completed_total{priority="NORMAL",status="PROCESSED"}')).toBe(1);
    expect(value('processing_order_latency_seconds_count{priority="VIP",status="PROCESSED"}')).toBe(1);
    expect(value('processing_order_latency_seconds_count{priority="NORMAL",status="PROCESSED"}')).toBe(1);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('sends one email for an event delivered several times', async () => {
    const h = await startService({ PROCESSING_STATUS_AFTER_MS: '10000' });
    await h.start();
    const event = orderPlaced();
    const body = JSON.stringify(event);
    // Two copies at once (same receive batch), then a third after it was processed.
    await Promise.all([h.send(h.queues.orders, body), h.send(h.queues.orders, body)]);
    await eventually(async () => ((await h.service.store.getInbox(event.id))?.state === 'done' ? true : undefined));
    await h.send(h.queues.orders, body);
    await eventually(async () => ((await h.depth(h.queues.orders)) === 0 ? true : undefined));

    expect(await mailsFor(event.data.orderId)).toHaveLength(1);
    expect(await h.service.store.getInbox(event.id)).toMatchObject({ state: 'done', attempts: 3 });
    await eventually(async () => ((await h.service.store.outboxStats(new Date())).pending === 0 ? true : undefined));
    const statuses = await eventually(async () => {
      const events = (await h.statusEvents()).filter((e) => e.data.orderId === event.data.orderId);
      return events.length >= 1 ? events : undefined;
    });
    expect(statuses.map((e) => e.data.status)).toEqual(['PROCESSED']);
  });

  it('drains VIP orders before normal ones when both queues are full', async () => {
    // One message at a time, so the email order is the processing order.
    const h = await startService({ CONSUMER_CONCURRENCY: '1', CONSUMER_BATCH_SIZE: '1' });
    const normal = Array.from({ length: 4 }, () => orderPlaced());
    const vip = Array.from({ length: 4 }, () => orderPlaced({ tier: 'DIAMOND', priority: 'VIP' }));
    // Normal orders were placed first: plain FIFO would handle them first.
    for (const e of normal) await h.send(h.queues.orders, JSON.stringify(e));
    for (const e of vip) await h.send(h.queues.ordersPriority, JSON.stringify(e));
    await h.start();

    const ids = new Set([...normal, ...vip].map((e) => e.data.orderId));
    const mails = await eventually(async () => {
      const ours = (await infra.emails()).filter((m) => [...ids].some((id) => m.subject.includes(id)));
      return ours.length === 8 ? ours : undefined;
    });
    const order = mails.map((m) => (vip.some((e) => m.subject.includes(e.data.orderId)) ? 'VIP' : 'NORMAL'));
    expect(order).toEqual(['VIP', 'VIP', 'VIP', 'VIP', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL']);
    const vipText = mails.find((m) => m.subject.includes(vip[0]!.data.orderId))!.text;
    expect(vipText).toContain('sent with priority');
  });

  it('sends malformed messages to the DLQ and keeps processing good ones', async () => {
    const h = await startService({ VISIBILITY_TIMEOUT_SEC: '1' });
    await h.start();
    const poison = ['not json at all', JSON.stringify({ hello: 'world' }), JSON.stringify({ ...orderPlaced(), type: 'order.exploded' })];
    for (const body of poison) await h.send(h.queues.orders, body);
    const good = orderPlaced();
    await h.send(h.queues.orders, JSON.stringify(good));

    await eventually(async () => ((await mailsFor(good.data.orderId)).length === 1 ? true : undefined));
    const dlq = { ...h.queues.orders, url: h.queues.orders.dlqUrl };
    await eventually(async () => ((await h.depth(dlq)) === poison.length ? true : undefined), 30_000, 'poison in DLQ');
    const dead = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10 }));
    expect((dead.Messages ?? []).map((m) => m.Body).sort()).toEqual([...poison].sort());
    await h.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: dlq.url,
        Entries: dead.Messages!.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );

    // Still alive afterwards.
    const after = orderPlaced();
    await h.send(h.queues.orders, JSON.stringify(after));
    await eventually(async () => ((await mailsFor(after.data.orderId)).length === 1 ? true : undefined));
    await eventually(async () => ((await h.depth(h.queues.orders)) === 0 ? true : undefined));
  });

  it('keeps an order while SMTP is down and sends it once SMTP is back', async () => {
    const mail = infra.stack.part('mail');
    await mail.stop(); // nothing listens on the SMTP port until it starts again below
    const h = await startService();
    await h.start();
    const event = orderPlaced();
    await h.send(h.queues.orders, JSON.stringify(event));

    // Received, email failed: not acked, nothing final, PROCESSING announced while it waits.
    await eventually(async () => ((await h.service.store.getInbox(event.id)) ? true : undefined));
    const waiting = await eventually(async () => {
      const events = (await h.statusEvents()).filter((e) => e.data.orderId === event.data.orderId);
      return events.length ? events : undefined;
    });
    expect(waiting.map((e) => e.data.status)).toEqual(['PROCESSING']);
    const base = await h.listen();
    const notReady = await eventually(async () => {
      const ready = await fetch(`${base}/processor/api/health/ready`);
      return ready.status === 503 ? ((await ready.json()) as { status: string; checks: Record<string, string> }) : undefined;
    });
    expect(notReady).toEqual({ status: 'not-ready', checks: { db: 'ok', queue: 'ok', smtp: 'down' } });
    expect((await h.service.store.getInbox(event.id))!.state).toBe('processing');
    expect(await h.depth(h.queues.orders)).toBe(1);

    await mail.start();
    await eventually(async () => ((await mailsFor(event.data.orderId)).length === 1 ? true : undefined), 30_000);
    await eventually(async () => ((await h.service.store.getInbox(event.id))?.state === 'done' ? true : undefined));
    await eventually(async () => ((await h.depth(h.queues.orders)) === 0 ? true : undefined));
    expect(await h.depth({ ...h.queues.orders, url: h.queues.orders.dlqUrl })).toBe(0);
    expect(await mailsFor(event.data.orderId)).toHaveLength(1);
    // Paused while SMTP was down: one failed receive, one successful one.
    expect(await h.service.store.getInbox(event.id)).toMatchObject({ attempts: 2 });
  });
});

describe('permanent SMTP rejection', () => {
  let rejecting: SMTPServer;
  let port: number;

  beforeAll(async () => {
    // A real SMTP server that refuses one mailbox with 550, as a provider would.
    rejecting = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) {
          return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        }
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    port = await freePort();
    await new Promise<void>((resolve) => rejecting.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => rejecting.close(() => resolve()));
  });

  it('marks the order FAILED with the reason and does not retry it', async () => {
    const h = await startService({ SMTP_PORT: String(port), PROCESSING_STATUS_AFTER_MS: '10000' });
    await h.start();
    const event = orderPlaced({ customer: { name: 'Nobody', email: 'nobody@example.com' } });
    await h.send(h.queues.orders, JSON.stringify(event));

    const statuses = await eventually(async () => {
      const events = (await h.statusEvents()).filter((e) => e.data.orderId === event.data.orderId);
      return events.length >= 1 ? events : undefined;
    });
    expect(statuses.map((e) => e.data.status)).toEqual(['FAILED']);
    expect(statuses[0]!.data.reason).toMatch(/550|mailbox unavailable/);
    expect(await h.service.store.getInbox(event.id)).toMatchObject({ state: 'failed', attempts: 1 });
    await eventually(async () => ((await h.depth(h.queues.orders)) === 0 ? true : undefined));
    const metrics = await (await fetch(`${await h.listen()}/metrics`)).text();
    expect(metrics).toMatch(/^processing_emails_total\{result="failed"\} 1$/m);
    expect(metrics).toMatch(/^processing_orders_completed_total\{priority="NORMAL",status="FAILED"\} 1$/m);
  });
});

describe('slow SMTP', () => {
  let slow: SMTPServer;
  let port: number;

  beforeAll(async () => {
    // A real SMTP server that takes 1.5 s to accept each message.
    slow = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => setTimeout(() => callback(), 1_500));
      },
    });
    port = await freePort();
    await new Promise<void>((resolve) => slow.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it('reports PROCESSING for an order still in hand after PROCESSING_STATUS_AFTER_MS, then PROCESSED', async () => {
    const h = await startService({ SMTP_PORT: String(port), PROCESSING_STATUS_AFTER_MS: '200' });
    await h.start();
    const event = orderPlaced();
    await h.send(h.queues.orders, JSON.stringify(event));
    const statuses = await eventually(async () => {
      const events = (await h.statusEvents()).filter((e) => e.data.orderId === event.data.orderId);
      return events.length >= 2 ? events : undefined;
    });
    const [processing, processed] = statuses;
    expect(statuses.map((e) => e.data.status)).toEqual(['PROCESSING', 'PROCESSED']);
    // PROCESSING is dated when processing began, which the final event repeats as startedAt.
    expect(processing!.data.processedAt).toBe(processed!.data.startedAt);
    expect(Date.parse(processed!.data.processedAt) - Date.parse(processing!.data.processedAt)).toBeGreaterThanOrEqual(1_400);
  });
});
