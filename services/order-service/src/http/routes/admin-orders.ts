import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OrderStatus, page } from '@oms/contracts';
import { z } from 'zod';
import { deleteOrder, searchOrders } from '../../application/orders/admin-orders';
import { AdminOrderDto, toAdminOrderDto } from '../admin-dto';
import type { RouteContext } from '../context';
import { BEARER, IdParams, PageQuery } from '../schemas';

const isoTime = z.iso
  .datetime({ offset: true, message: 'an ISO 8601 date-time such as 2025-01-31T00:00:00Z' })
  .transform((s) => new Date(s));

const AdminOrdersQuery = PageQuery.extend({
  status: OrderStatus.optional().meta({ example: 'PROCESSED' }),
  from: isoTime.optional().describe('inclusive').meta({ example: '2026-01-01T00:00:00Z' }),
  to: isoTime.optional().describe('exclusive').meta({ example: '2027-01-01T00:00:00Z' }),
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((q) => q || undefined)
    .describe('product name or sku, user name (substring, any case), or a total in minor units')
    .meta({ example: 'kettle' }),
}).refine((q) => !q.from || !q.to || q.from < q.to, { path: ['to'], message: 'must be later than from' });

/** Every shopper's orders for admins: search and keyset paging, and removal. */
const adminOrderRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store }) => {
  app.addHook('onRequest', app.requireAdmin);

  const searchSchema = {
    summary: 'Search all orders: status, date range, free text; cursor paging',
    operationId: 'searchOrders',
    tags: ['admin'],
    security: BEARER,
    querystring: AdminOrdersQuery,
    response: { 200: page(AdminOrderDto) },
  };
  app.get('/', { schema: searchSchema }, async (request) => {
    const result = await searchOrders(store, request.query);
    return { data: result.items.map(toAdminOrderDto), nextCursor: result.nextCursor };
  });

  const deleteSchema = {
    summary: 'Delete an order (a PENDING one gives its stock back)',
    operationId: 'deleteOrder',
    tags: ['admin'],
    security: BEARER,
    params: IdParams,
    response: { 204: z.null() },
  };
  app.delete('/:id', { schema: deleteSchema }, async (request, reply) => {
    await deleteOrder(store, request.params.id);
    return reply.code(204).send(null);
  });
};

export default adminOrderRoutes;
