import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { page, ProductDto } from '@oms/contracts';
import { getProduct, listProducts } from '../../app/products';
import type { RouteContext } from '../context';
import { toProductDto } from '../presenters';
import { IdParams, PageQuery } from '../schemas';

/** The public catalog, newest first. */
const productRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store }) => {
  app.get('/', { schema: { summary: 'List products, newest first (cursor paging)', querystring: PageQuery, response: { 200: page(ProductDto) } } }, async (request) => {
    const result = await listProducts(store, request.query);
    return { data: result.items.map(toProductDto), nextCursor: result.nextCursor };
  });

  app.get('/:id', { schema: { summary: 'Get one product', params: IdParams, response: { 200: ProductDto } } }, async (request) =>
    toProductDto(await getProduct(store, request.params.id)),
  );
};

export default productRoutes;
