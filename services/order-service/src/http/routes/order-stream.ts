import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { AppError, UnauthorizedError } from '../../application/shared/errors';
import type { OrderEvent } from '../../application/order-feed/order-events';
import { toAdminOrderDto } from '../admin-dto';
import type { RouteContext } from '../context';
import { bearerToken } from '../plugins/authentication';
import { toOrderDto } from '../presenters';
import { BEARER } from '../schemas';

/** Reconnect delay the browser's EventSource uses after a drop. */
export const SSE_RETRY_MS = 3000;
/** A client this far behind is dropped; it reconnects and catches up with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;

const StreamQuery = z.object({
  access_token: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe('for EventSource, which cannot send headers; the Authorization header is preferred')
    .meta({ example: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzNmY3ZSJ9.c2lnbmF0dXJl' }),
});
const StreamHeaders = z.looseObject({ 'last-event-id': z.string().max(200).optional().meta({ example: '42' }) });

const frame = (id: number, event: string, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const ownerOf = (event: OrderEvent) => (event.type === 'order.deleted' ? event.userId : event.order.userId);
/** Feed rows read per replay query. */
const REPLAY_PAGE = 500;

type Out = (chunk: string) => void;
interface Caller {
  userId: string;
  admin: boolean;
  expiresAtMs: number;
}

/** Verifies the access token; the stream must end when it expires. */
async function authorize(token: string | undefined, tokens: RouteContext['tokens']): Promise<Caller> {
  if (!token) {
    throw new UnauthorizedError('missing-token', 'a Bearer access token (Authorization header or access_token parameter) is required');
  }
  const { userId, role } = await tokens.verify(token);
  return { userId, admin: role === 'admin', expiresAtMs: (decodeJwt(token).exp ?? 0) * 1000 };
}

/** One client's event stream, written raw; ends once, running what was registered with onEnd. */
class LiveStream {
  private closed = false;
  private readonly releases: (() => void)[] = [];
  private readonly openedAt = Date.now();

  constructor(
    private readonly request: FastifyRequest,
    private readonly res: ServerResponse,
    private readonly userId: string,
  ) {
    res.on('close', () => this.cleanup());
    res.on('error', (err) => request.log.debug({ err, userId }, 'live stream write failed'));
  }

  readonly send: Out = (chunk) => {
    const { res } = this;
    // A write after end() would raise an 'error' on the response that nobody handles.
    if (this.closed || res.writableEnded || res.destroyed) return;
    if (!res.write(chunk) && res.writableLength > MAX_BUFFERED_BYTES) {
      this.request.log.warn({ userId: this.userId }, 'live stream client too slow; dropping it');
      res.destroy();
    }
  };

  /** Ends the response and lets go of everything the stream holds. */
  end(): void {
    this.cleanup();
    if (!this.res.writableEnded) this.res.end();
  }

  onEnd(release: () => void): void {
    this.releases.push(release);
  }

  cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    for (const release of this.releases) release();
    this.request.log.info({ userId: this.userId, openMs: Date.now() - this.openedAt }, 'live stream closed');
  }
}

/**
 * Subscribes first, so that nothing the feed hands out from then on can be missed, while the replay
 * is read after. Live events wait in `held` until the replay is out; `sent` (the highest sequence
 * this stream has accounted for) drops what the replay already covered, so none arrives twice.
 */
class FeedCursor {
  sent: number;
  /** The feed's position at subscription: a replay reads up to here. */
  readonly tail: number;
  private held: OrderEvent[] | null = [];

  constructor(
    feed: RouteContext['orderFeed'],
    stream: LiveStream,
    private readonly frameFor: (event: OrderEvent) => string | undefined,
  ) {
    this.sent = this.tail = feed.position();
    stream.onEnd(feed.subscribe((event) => (this.held ? this.held.push(event) : this.deliver(event, stream.send))));
  }

  deliver(event: OrderEvent, out: Out): void {
    if (event.seq <= this.sent) return;
    this.sent = event.seq;
    const text = this.frameFor(event);
    if (text !== undefined) out(text);
  }

  /** Sends what waited for the replay; from now on events go straight out. */
  release(out: Out): void {
    const waiting = this.held ?? [];
    this.held = null;
    for (const event of waiting) this.deliver(event, out);
  }
}

/** This plugin's open streams: heartbeats, a cap per user, and ending them all when the server closes. */
class OpenStreams {
  private readonly open = new Set<LiveStream>();
  private readonly perUser = new Map<string, number>();

  constructor(app: FastifyInstance, heartbeatSec: number) {
    const heartbeat = setInterval(() => {
      for (const stream of this.open) stream.send(': heartbeat\n\n');
    }, heartbeatSec * 1000);
    heartbeat.unref();
    // Open streams never go idle, so the server would wait for them forever on close.
    app.addHook('preClose', async () => {
      for (const stream of this.open) stream.end();
    });
    app.addHook('onClose', async () => clearInterval(heartbeat));
  }

  admit(userId: string, max: number): void {
    if ((this.perUser.get(userId) ?? 0) >= max) {
      throw new AppError(429, 'Too Many Requests', 'too-many-streams', `at most ${max} open streams per user; close one first`);
    }
  }

  add(stream: LiveStream, userId: string): void {
    this.open.add(stream);
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    stream.onEnd(() => {
      this.open.delete(stream);
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    });
  }
}

/** Serialises each event once per audience, however many streams carry it. */
function frameCache(): (event: OrderEvent, admin: boolean) => string {
  const frames = { admin: new WeakMap<OrderEvent, string>(), owner: new WeakMap<OrderEvent, string>() };
  return (event, admin) => {
    const cache = admin ? frames.admin : frames.owner;
    let text = cache.get(event);
    if (text === undefined) {
      const data = event.type === 'order.deleted' ? { id: event.orderId } : admin ? toAdminOrderDto(event.order) : toOrderDto(event.order);
      text = frame(event.seq, event.type, data);
      cache.set(event, text);
    }
    return text;
  };
}

type Deps = Pick<RouteContext, 'store' | 'config'>;

/** Whether the events after `after` are all still in the feed and few enough to replay. */
async function replayable({ store, config }: Deps, after: number, tail: number): Promise<boolean> {
  if (after > tail) return after <= (await store.lastOrderEventSeq()); // else: an id this feed never gave out
  if (tail - after > config.SSE_REPLAY_EVENTS) return false;
  const first = await store.firstOrderEventSeq();
  return after === tail || (first !== null && after >= first - 1);
}

/** The events a reconnect missed, or a `reload` event when they cannot be replayed. */
async function resume(deps: Deps, cursor: FeedCursor, lastEventId: string): Promise<{ chunk: string; resumed: 'replayed' | 'reload' }> {
  const { tail } = cursor;
  const after = /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : null;
  if (after === null || !(await replayable(deps, after, tail))) {
    // The client reloads what is stored now, so it resumes from the newest event, not this tail's.
    cursor.sent = Math.max(tail, await deps.store.lastOrderEventSeq());
    return {
      chunk: frame(cursor.sent, 'reload', { reason: 'missed events are no longer available; reload the orders' }),
      resumed: 'reload',
    };
  }
  // Another replica's tail may be ahead of this one's: its events up to `after` are not sent again.
  cursor.sent = after;
  let chunk = '';
  for (let at = after; at < tail;) {
    const page = await deps.store.readOrderEvents(at, REPLAY_PAGE);
    for (const event of page.events) cursor.deliver(event, (text) => (chunk += text));
    at = page.upTo;
    if (!page.more) break;
  }
  cursor.sent = Math.max(cursor.sent, tail);
  return { chunk, resumed: 'replayed' };
}

/** Takes the response over from fastify and sends the event-stream headers. */
function startEventStream(request: FastifyRequest, reply: FastifyReply): void {
  const res = reply.raw;
  reply.hijack();
  request.raw.socket.setNoDelay(true);
  // Headers set by earlier hooks (request id, security headers) still go out on the raw response.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and similar proxies must pass events through, not buffer them.
    'x-accel-buffering': 'no',
  });
}

const streamSchema = {
  summary: 'Live order updates (Server-Sent Events): own orders, or all for an admin; resumes from Last-Event-ID',
  operationId: 'streamOrders',
  tags: ['orders'],
  security: BEARER,
  response: {
    200: {
      description: 'event stream: order.created, order.status-changed, order.deleted',
      content: { 'text/event-stream': { schema: z.string() } },
    },
  },
  querystring: StreamQuery,
  headers: StreamHeaders,
};

/**
 * GET /api/orders/stream: Server-Sent Events with this shopper's order updates (an admin gets all):
 * `order.created`, `order.status-changed` (data: the order JSON) and `order.deleted` (data: {id}).
 * The events come from the order change feed every replica tails, and an event's id is its sequence
 * there: a reconnect with Last-Event-ID, to this replica or any other, after a restart too, gets
 * exactly what it missed (read from the feed), or a `reload` event when that is no longer kept or
 * is more than SSE_REPLAY_EVENTS. Heartbeat comments keep proxies from timing out.
 * The stream ends when the access token expires, so it never outlives its credential.
 * No rate limit: it is one long-lived request, and open streams are capped per user instead.
 */
const orderStreamRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { orderFeed: feed, tokens, config, now } = ctx;
  const streams = new OpenStreams(app, config.SSE_HEARTBEAT_SEC);
  const frameOf = frameCache();

  app.get('/stream', { exposeHeadRoute: false, schema: streamSchema }, async (request, reply) => {
    // The Authorization header, else the parameter (EventSource cannot send headers).
    const { userId, admin, expiresAtMs } = await authorize(
      bearerToken(request.headers.authorization) ?? request.query.access_token,
      tokens,
    );
    streams.admit(userId, config.SSE_MAX_STREAMS_PER_USER);
    const stream = new LiveStream(request, reply.raw, userId);
    const cursor = new FeedCursor(feed, stream, (event) => (admin || ownerOf(event) === userId ? frameOf(event, admin) : undefined));
    const expiry = setTimeout(() => stream.end(), Math.min(MAX_TIMER_MS, Math.max(0, expiresAtMs - now().getTime())));
    stream.onEnd(() => clearTimeout(expiry));
    streams.add(stream, userId);

    const lastEventId = request.headers['last-event-id'];
    const { chunk, resumed } = lastEventId === undefined ? { chunk: '', resumed: 'no' } : await resume(ctx, cursor, lastEventId);
    startEventStream(request, reply);
    // An id-only block: no event fires, but a reconnect resumes from here.
    stream.send(`: connected\nretry: ${SSE_RETRY_MS}\n\n${chunk}id: ${cursor.sent}\n\n`);
    cursor.release(stream.send);
    request.log.info({ userId, admin, resumed }, 'live stream opened');
    if (request.raw.socket.destroyed) stream.cleanup();
  });
};

export default orderStreamRoutes;
