import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OrderDto, page } from '@oms/contracts';
import { z } from 'zod';
import { getOrderFor, listOrdersForUser, placeOrder } from '../../application/orders/orders';
import type { RouteContext } from '../context';
import { principalOf } from '../plugins/authentication';
import type { RateLimit } from '../plugins/rate-limits';
import { toOrderDto } from '../presenters';
import { BEARER, IdParams, PageQuery } from '../schemas';

const MAX_ORDER_LINES = 100;
const MAX_LINE_QUANTITY = 1000;

export const PlaceOrderBody = z.object({
  items: z
    .array(
      z.object({
        productId: z.string().min(1).max(64).meta({ example: '01936f7e-3c1a-7b2e-9d4f-5a6b7c8d9e0f' }),
        quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY).meta({ example: 2 }),
      }),
    )
    .min(1)
    .max(MAX_ORDER_LINES)
    // Lines naming one product are merged: the cap holds for their sum too.
    .superRefine((items, ctx) => {
      const total = new Map<string, number>();
      items.forEach(({ productId, quantity }, i) => {
        const sum = (total.get(productId) ?? 0) + quantity;
        total.set(productId, sum);
        if (sum > MAX_LINE_QUANTITY && sum - quantity <= MAX_LINE_QUANTITY) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'quantity'],
            message: `lines for product ${productId} add up to more than ${MAX_LINE_QUANTITY}`,
          });
        }
      });
    }),
});
// looseObject: the other headers (Authorization!) must survive validation.
const PlaceOrderHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII only')
    .optional()
    .describe('the same key from the same user answers the original order instead of placing another')
    .meta({ example: '5f0c2b8e-6a7d-4e1f-9b3c-2d4e6f8a0b1c' }),
});

/** Per user; any other route that places orders declares it too, so they share one quota. */
export const orderPlacementLimit = (config: RouteContext['config']): RateLimit => ({
  name: 'order placement',
  perMin: config.RATE_LIMIT_ORDERS_PER_MIN,
  per: 'user-or-ip',
});

/** A shopper's own orders; admins may read any single order. */
const orderRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.addHook('onRequest', app.authenticate);
  const readLimits: RateLimit[] = [{ name: 'read', perMin: ctx.config.RATE_LIMIT_READS_PER_MIN, per: 'user-or-ip' }];

  app.post(
    '/',
    {
      config: { rateLimits: [orderPlacementLimit(ctx.config)] },
      schema: {
        summary: 'Place an order (stock is reserved in the same transaction); Idempotency-Key makes retries safe',
        operationId: 'placeOrder',
        tags: ['orders'],
        security: BEARER,
        headers: PlaceOrderHeaders,
        body: PlaceOrderBody,
        response: { 201: OrderDto },
      },
    },
    async (request, reply) => {
      const { order, replayed } = await placeOrder(
        { store: ctx.store, taxRateBps: ctx.config.TAX_RATE_BPS, now: ctx.now },
        {
          userId: principalOf(request).userId,
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          items: request.body.items,
        },
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      else ctx.onOrderPlaced();
      // A replay answers exactly like the original did.
      return reply.code(201).send(toOrderDto(order));
    },
  );

  const listSchema = {
    summary: 'List my orders, newest first (cursor paging)',
    operationId: 'listMyOrders',
    tags: ['orders'],
    security: BEARER,
    querystring: PageQuery,
    response: { 200: page(OrderDto) },
  };
  app.get('/', { config: { rateLimits: readLimits }, schema: listSchema }, async (request) => {
    const result = await listOrdersForUser(ctx.store, principalOf(request).userId, request.query);
    return { data: result.items.map(toOrderDto), nextCursor: result.nextCursor };
  });

  const getSchema = {
    summary: 'Get one of my orders (admins: any order)',
    operationId: 'getOrder',
    tags: ['orders'],
    security: BEARER,
    params: IdParams,
    response: { 200: OrderDto },
  };
  app.get('/:id', { config: { rateLimits: readLimits }, schema: getSchema }, async (request) =>
    toOrderDto(await getOrderFor(ctx.store, principalOf(request), request.params.id)),
  );
};

export default orderRoutes;
