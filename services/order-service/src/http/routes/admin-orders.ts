import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OrderStatus, page } from '@oms/contracts';
import { z } from 'zod';
import { deleteOrder, searchOrders } from '../../app/admin-orders';
import { AdminOrderDto, toAdminOrderDto } from '../admin-dto';
import type { RouteContext } from '../context';
import { IdParams, PageQuery } from '../schemas';

const isoTime = z.iso
  .datetime({ offset: true, message: 'an ISO 8601 date-time such as 2025-01-31T00:00:00Z' })
  .transform((s) => new Date(s));

const AdminOrdersQuery = PageQuery.extend({
  status: OrderStatus.optional(),
  from: isoTime.optional().describe('inclusive'),
  to: isoTime.optional().describe('exclusive'),
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((q) => q || undefined)
    .describe('product name or sku, user name (substring, any case), or a total in minor units'),
}).refine((q) => !q.from || !q.to || q.from < q.to, { path: ['to'], message: 'must be later than from' });

/** Every shopper's orders for admins: search and keyset paging, and removal. */
const adminOrderRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store }) => {
  app.addHook('onRequest', app.requireAdmin);

  app.get('/', { schema: { summary: 'Search all orders: status, date range, free text; cursor paging', querystring: AdminOrdersQuery, response: { 200: page(AdminOrderDto) } } }, async (request) => {
    const result = await searchOrders(store, request.query);
    return { data: result.items.map(toAdminOrderDto), nextCursor: result.nextCursor };
  });

  app.delete('/:id', { schema: { summary: 'Delete an order (a PENDING one gives its stock back)', params: IdParams, response: { 204: z.null() } } }, async (request, reply) => {
    await deleteOrder(store, request.params.id);
    return reply.code(204).send(null);
  });
};

export default adminOrderRoutes;
