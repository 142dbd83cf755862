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

interface LiveStream {
  send(chunk: string): void;
  /** Ends the response and lets go of everything the stream holds. */
  end(): void;
}

const frame = (id: number, event: string, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const ownerOf = (event: OrderEvent) => (event.type === 'order.deleted' ? event.userId : event.order.userId);
/** Feed rows read per replay query. */
const REPLAY_PAGE = 500;

/**
 * GET /api/orders/stream: Server-Sent Events with this shopper's order updates (an admin gets all):
 * `order.created`, `order.status-changed` (data: the order JSON) and `order.deleted` (data: {id}).
 * The events come from the order change feed every replica tails, and an event's id is its sequence
 * there: a reconnect with Last-Event-ID, to this replica or any other, after a restart too, gets
 * exactly what it missed (read from the feed), or a `reload` event when that is no longer kept or
 * is more than SSE_REPLAY_EVENTS. Heartbeat comments keep proxies from timing out.
 * The stream ends when the access token expires, so it never outlives its credential.
 */
const orderStreamRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { orderFeed: feed, store, tokens, config, now } = ctx;
  const open = new Set<LiveStream>();
  const perUser = new Map<string, number>();

  const heartbeat = setInterval(() => {
    for (const stream of open) stream.send(': heartbeat\n\n');
  }, config.SSE_HEARTBEAT_SEC * 1000);
  heartbeat.unref();
  // Open streams never go idle, so the server would wait for them forever on close.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });
  app.addHook('onClose', async () => clearInterval(heartbeat));

  // Serialised once per event and audience, however many streams carry it.
  const frames = { admin: new WeakMap<OrderEvent, string>(), owner: new WeakMap<OrderEvent, string>() };
  const frameOf = (event: OrderEvent, admin: boolean): string => {
    const cache = admin ? frames.admin : frames.owner;
    let text = cache.get(event);
    if (text === undefined) {
      const data = event.type === 'order.deleted' ? { id: event.orderId } : admin ? toAdminOrderDto(event.order) : toOrderDto(event.order);
      text = frame(event.seq, event.type, data);
      cache.set(event, text);
    }
    return text;
  };

  /** Whether the events after `after` are all still in the feed and few enough to replay. */
  const replayable = async (after: number, tail: number): Promise<boolean> => {
    if (after > tail) return after <= (await store.lastOrderEventSeq()); // else: an id this feed never gave out
    if (tail - after > config.SSE_REPLAY_EVENTS) return false;
    const first = await store.firstOrderEventSeq();
    return after === tail || (first !== null && after >= first - 1);
  };

  app.get(
    '/stream',
    {
      exposeHeadRoute: false,
      schema: {
        summary: 'Live order updates (Server-Sent Events): own orders, or all for an admin; resumes from Last-Event-ID',
        operationId: 'streamOrders',
        tags: ['orders'],
        security: BEARER,
        response: { 200: { description: 'event stream: order.created, order.status-changed, order.deleted', content: { 'text/event-stream': { schema: z.string() } } } },
        querystring: StreamQuery,
        headers: StreamHeaders,
      },
    },
    async (request, reply) => {
      const token = bearerToken(request.headers.authorization) ?? request.query.access_token;
      if (!token) {
        throw new UnauthorizedError('missing-token', 'a Bearer access token (Authorization header or access_token parameter) is required');
      }
      const { userId, role } = await tokens.verify(token);
      const admin = role === 'admin';
      if ((perUser.get(userId) ?? 0) >= config.SSE_MAX_STREAMS_PER_USER) {
        throw new AppError(429, 'Too Many Requests', 'too-many-streams', `at most ${config.SSE_MAX_STREAMS_PER_USER} open streams per user; close one first`);
      }
      const expiresAtMs = (decodeJwt(token).exp ?? 0) * 1000;

      const res = reply.raw;
      const openedAt = Date.now();
      let closed = false;
      const stream: LiveStream = {
        send(chunk) {
          // A write after end() would raise an 'error' on the response that nobody handles.
          if (closed || res.writableEnded || res.destroyed) return;
          if (!res.write(chunk) && res.writableLength > MAX_BUFFERED_BYTES) {
            request.log.warn({ userId }, 'live stream client too slow; dropping it');
            res.destroy();
          }
        },
        end() {
          cleanup();
          if (!res.writableEnded) res.end();
        },
      };
      // Subscribe first, read the replay after: nothing the feed hands out from here on can be missed.
      // Live events wait in `held` until the replay is out; `sent` (the highest sequence this stream
      // has accounted for) drops what the replay already covered, so none arrives twice.
      let held: OrderEvent[] | null = [];
      let sent = feed.position();
      const deliver = (event: OrderEvent, out: (chunk: string) => void) => {
        if (event.seq <= sent) return;
        sent = event.seq;
        if (admin || ownerOf(event) === userId) out(frameOf(event, admin));
      };
      const unsubscribe = feed.subscribe((event) => (held ? held.push(event) : deliver(event, stream.send)));
      const tail = sent;
      open.add(stream);
      perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
      const expiry = setTimeout(() => stream.end(), Math.min(MAX_TIMER_MS, Math.max(0, expiresAtMs - now().getTime())));
      function cleanup() {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearTimeout(expiry);
        open.delete(stream);
        const left = (perUser.get(userId) ?? 1) - 1;
        if (left > 0) perUser.set(userId, left);
        else perUser.delete(userId);
        request.log.info({ userId, openMs: Date.now() - openedAt }, 'live stream closed');
      }
      res.on('close', cleanup);
      res.on('error', (err) => request.log.debug({ err, userId }, 'live stream write failed'));

      let head = `: connected\nretry: ${SSE_RETRY_MS}\n\n`;
      const lastEventId = request.headers['last-event-id'];
      let resumed: 'no' | 'replayed' | 'reload' = 'no';
      if (lastEventId !== undefined) {
        const after = /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : null;
        if (after === null || !(await replayable(after, tail))) {
          resumed = 'reload';
          // The client reloads what is stored now, so it resumes from the newest event, not this tail's.
          sent = Math.max(tail, await store.lastOrderEventSeq());
          head += frame(sent, 'reload', { reason: 'missed events are no longer available; reload the orders' });
        } else {
          resumed = 'replayed';
          // Another replica's tail may be ahead of this one's: its events up to `after` are not sent again.
          sent = after;
          for (let at = after; at < tail; ) {
            const page = await store.readOrderEvents(at, REPLAY_PAGE);
            for (const event of page.events) deliver(event, (chunk) => (head += chunk));
            at = page.upTo;
            if (!page.more) break;
          }
          sent = Math.max(sent, tail);
        }
      }
      // An id-only block: no event fires, but a reconnect resumes from here.
      head += `id: ${sent}\n\n`;

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
      stream.send(head);
      const waiting = held;
      held = null;
      for (const event of waiting) deliver(event, stream.send);
      request.log.info({ userId, admin, resumed }, 'live stream opened');
      if (request.raw.socket.destroyed) cleanup();
    },
  );
};

export default orderStreamRoutes;
