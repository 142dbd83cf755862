import { Writable } from 'node:stream';
import type { OrderStatusChangedEvent } from '@oms/contracts';
import { makeEvent } from '@oms/platform';
import { AccessTokens } from '../../src/application/identity/access-tokens';
import { applyStatusEvent } from '../../src/application/orders/order-status-updates';
import { adminLogin, bearer, createProduct, expectProblem, json, registerAndLogin, startHarness, type Harness } from './harness';
import { baseUrl, openSse, type SseStream } from './sse-client';

jest.setTimeout(30_000);

const NO_LIMITS = { RATE_LIMIT_ORDERS_PER_MIN: '0', RATE_LIMIT_READS_PER_MIN: '0', RATE_LIMIT_LOGIN_PER_MIN: '0' };

let h: Harness;
let base: string;
let admin: string;
let productId: string;
const streams: SseStream[] = [];

beforeAll(async () => {
  h = await startHarness({ env: { ...NO_LIMITS, SSE_MAX_STREAMS_PER_USER: '2', SSE_REPLAY_EVENTS: '5' } });
  base = baseUrl(h.app);
  admin = (await adminLogin(h.call)).token;
  productId = (await createProduct(h.call, admin, { stock: 1000, name: 'Stream kettle' })).id;
});
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});
afterAll(() => h.close());

const open = async (path: string, headers: Record<string, string> = {}) => {
  const s = await openSse(base, path, headers);
  streams.push(s);
  return s;
};
const place = async (token: string) => {
  const res = await h.call({
    method: 'POST',
    url: '/api/orders',
    headers: bearer(token),
    payload: { items: [{ productId, quantity: 1 }] },
  });
  expect(res.statusCode).toBe(201);
  return json<{ id: string; userId: string }>(res);
};
const processed = (orderId: string) =>
  applyStatusEvent(
    h.store,
    makeEvent<OrderStatusChangedEvent>(
      'order.status-changed',
      { orderId, status: 'PROCESSED', processedAt: new Date().toISOString(), processingTimeMs: 42 },
      'test',
    ),
  );

describe('GET /api/orders/stream', () => {
  it('answers as an event stream that starts with a comment, a retry hint and a resume id', async () => {
    const s = await open('/api/orders/stream', bearer(admin));
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.headers.get('cache-control')).toContain('no-cache');
    expect(s.headers.get('x-request-id')).toBeTruthy();
    const created = place((await registerAndLogin(h.call)).token);
    const event = await s.nextEvent();
    expect(event.event).toBe('order.created');
    expect(JSON.parse(event.data!).id).toBe((await created).id);
    expect(s.frames[0]).toMatchObject({ comments: ['connected'], retry: 3000 });
    expect(s.frames[0]!.id ?? s.frames[1]!.id).toMatch(/^\d+$/);
  });

  it('gives a shopper only their own orders (created, status-changed, deleted) and an admin all of them', async () => {
    const alice = await registerAndLogin(h.call);
    const bob = await registerAndLogin(h.call);
    const aliceStream = await open('/api/orders/stream', bearer(alice.token));
    const adminStream = await open('/api/orders/stream', bearer(admin));

    const bobs = await place(bob.token);
    const alices = await place(alice.token);
    await processed(alices.id);
    await processed(bobs.id);
    const seen = async (s: SseStream, n: number) => {
      const out: [string, unknown][] = [];
      for (let i = 0; i < n; i++) {
        const e = await s.nextEvent();
        out.push([e.event!, JSON.parse(e.data!)]);
      }
      return out;
    };
    // Deleted once the feed has handed out its earlier events (a feed read after the delete shows only the deletion).
    const beforeDelete = await seen(adminStream, 4);
    expect((await h.call({ method: 'DELETE', url: `/api/admin/orders/${alices.id}`, headers: bearer(admin) })).statusCode).toBe(204);

    const forAlice = await seen(aliceStream, 3);
    expect(forAlice.map(([type, data]) => [type, (data as { id: string }).id])).toEqual([
      ['order.created', alices.id],
      ['order.status-changed', alices.id],
      ['order.deleted', alices.id],
    ]);
    expect(forAlice[0]![1]).toMatchObject({ id: alices.id, userId: alice.userId, status: 'PENDING', items: [{ name: 'Stream kettle' }] });
    expect(forAlice[0]![1]).not.toHaveProperty('username');
    expect(forAlice[1]![1]).toMatchObject({ status: 'PROCESSED', processingTimeMs: 42 });
    expect(forAlice[2]![1]).toEqual({ id: alices.id });

    const forAdmin = [...beforeDelete, ...(await seen(adminStream, 1))];
    expect(forAdmin.map(([type, data]) => [type, (data as { id: string }).id])).toEqual([
      ['order.created', bobs.id],
      ['order.created', alices.id],
      ['order.status-changed', alices.id],
      ['order.status-changed', bobs.id],
      ['order.deleted', alices.id],
    ]);
    expect(forAdmin[0]![1]).toMatchObject({ userId: bob.userId, username: expect.stringMatching(/^shopper/) });
  });

  it('accepts the token as an access_token query parameter (EventSource cannot send headers)', async () => {
    const shopper = await registerAndLogin(h.call);
    const s = await open(`/api/orders/stream?access_token=${encodeURIComponent(shopper.token)}`);
    expect(s.status).toBe(200);
    const mine = await place(shopper.token);
    expect(JSON.parse((await s.nextEvent()).data!).id).toBe(mine.id);
  });

  it('refuses a missing, malformed or expired token with 401', async () => {
    for (const headers of [{}, bearer('not-a-jwt'), { authorization: 'Basic abc' }]) {
      const s = await open('/api/orders/stream', headers);
      expect(s.status).toBe(401);
      expect(s.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const { JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE } = h.config;
    const stale = await new AccessTokens({
      secret: JWT_SECRET,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ttlSec: 60,
      now: () => new Date(Date.now() - 3_600_000),
    }).issue({ userId: 'u', role: 'admin' });
    const expired = await open(`/api/orders/stream?access_token=${stale}`);
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.body)).toMatchObject({ code: 'invalid-token' });
  });

  it('is not taken for an order id by GET /api/orders/:id', async () => {
    const res = await h.call({ url: '/api/orders/stream?access_token=x' });
    expectProblem(res, 401, 'invalid-token');
  });

  it('replays what a reconnect missed from Last-Event-ID, and asks for a reload when that is gone', async () => {
    const shopper = await registerAndLogin(h.call);
    const first = await open('/api/orders/stream', bearer(shopper.token));
    const a = await place(shopper.token);
    await first.nextEvent();
    const resumeFrom = first.lastEventId()!;
    first.close();

    const b = await place(shopper.token);
    const c = await place(shopper.token);
    const resumed = await open('/api/orders/stream', { ...bearer(shopper.token), 'last-event-id': resumeFrom });
    const replayed = [await resumed.nextEvent(), await resumed.nextEvent()];
    expect(replayed.map((e) => JSON.parse(e.data!).id)).toEqual([b.id, c.id]);
    expect(replayed.map((e) => e.event)).toEqual(['order.created', 'order.created']);
    expect(a.id).not.toBe(b.id);

    // At most 5 events are replayed; 6 more put the resume point beyond that. (Other shoppers: at most 2 streams each.)
    for (let i = 0; i < 6; i++) await place(shopper.token);
    const late = await open('/api/orders/stream', { ...bearer((await registerAndLogin(h.call)).token), 'last-event-id': resumeFrom });
    const reload = await late.nextEvent();
    expect(reload.event).toBe('reload');
    expect(reload.id).toBe(String(await h.store.lastOrderEventSeq()));

    const foreign = await open('/api/orders/stream', {
      ...bearer((await registerAndLogin(h.call)).token),
      'last-event-id': 'older-process-7',
    });
    expect((await foreign.nextEvent()).event).toBe('reload');
  });

  it('resumes from Last-Event-ID on another replica of the same database, which also streams what this one commits', async () => {
    const shopper = await registerAndLogin(h.call);
    const first = await open('/api/orders/stream', bearer(shopper.token));
    await place(shopper.token);
    await first.nextEvent();
    const resumeFrom = first.lastEventId()!;
    first.close();
    const missed = [await place(shopper.token), await place(shopper.token)];

    const other = await startHarness({ env: { ...NO_LIMITS, SQLITE_PATH: h.config.SQLITE_PATH } });
    try {
      const resumed = await openSse(baseUrl(other.app), '/api/orders/stream', { ...bearer(shopper.token), 'last-event-id': resumeFrom });
      streams.push(resumed);
      const replayed = [await resumed.nextEvent(), await resumed.nextEvent()];
      expect(replayed.map((e) => JSON.parse(e.data!).id)).toEqual(missed.map((o) => o.id));
      expect(replayed.map((e) => Number(e.id))).toEqual([Number(resumeFrom) + 1, Number(resumeFrom) + 2]);
      // Placed through the first replica, streamed by the other.
      const later = await place(shopper.token);
      const live = await resumed.nextEvent();
      expect([live.event, JSON.parse(live.data!).id, Number(live.id)]).toEqual(['order.created', later.id, Number(resumeFrom) + 3]);
    } finally {
      for (const s of streams.splice(0)) s.close();
      await other.app.close();
      await other.store.close();
    }
  });

  it('caps open streams per user with 429, and frees the slot when a stream closes', async () => {
    const shopper = await registerAndLogin(h.call);
    const one = await open('/api/orders/stream', bearer(shopper.token));
    await open('/api/orders/stream', bearer(shopper.token));
    const third = await open('/api/orders/stream', bearer(shopper.token));
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ code: 'too-many-streams' });
    expect((await open('/api/orders/stream', bearer(admin))).status).toBe(200);

    one.close();
    let again: SseStream | undefined;
    for (let attempt = 0; attempt < 100 && again?.status !== 200; attempt++) {
      again = await open('/api/orders/stream', bearer(shopper.token));
      if (again.status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again?.status).toBe(200);
  });
});

describe('stream lifecycle', () => {
  it('sends heartbeats, keeps the query token out of the request log, ends at token expiry, and lets the server close', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    let offsetMs = 0;
    const h2 = await startHarness({
      env: { ...NO_LIMITS, SSE_HEARTBEAT_SEC: '1' },
      deps: { logger: { level: 'info', stream: sink }, clock: () => new Date(Date.now() + offsetMs) },
    });
    const s2: SseStream[] = [];
    try {
      const { token } = await adminLogin(h2.call);
      const live = await openSse(baseUrl(h2.app), `/api/orders/stream?access_token=${token}`);
      s2.push(live);
      // Issued as if 898 s ago, so it expires two seconds from now.
      offsetMs = -(h2.config.ACCESS_TOKEN_TTL_SEC - 2) * 1000;
      const { token: shortLived } = await adminLogin(h2.call);
      offsetMs = 0;
      const expiring = await openSse(baseUrl(h2.app), '/api/orders/stream', bearer(shortLived));
      s2.push(expiring);
      expect(expiring.status).toBe(200);
      await expect(expiring.nextEvent(15_000)).rejects.toThrow('stream ended');

      for (let i = 0; i < 100 && !live.frames.some((f) => f.comments.includes('heartbeat')); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(live.frames.some((f) => f.comments.includes('heartbeat'))).toBe(true);

      const log = lines.join('');
      expect(log).toContain('access_token=[redacted]');
      expect(log).not.toContain(token);
    } finally {
      // Resolves only because open streams are ended before the server waits for its connections.
      await h2.close();
      for (const s of s2) s.close();
    }
  });
});
