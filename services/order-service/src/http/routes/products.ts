import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { page, ProductDto } from '@oms/contracts';
import { getProduct, listProducts } from '../../application/catalog/products';
import type { RouteContext } from '../context';
import { toProductDto } from '../presenters';
import { IdParams, PageQuery, PUBLIC } from '../schemas';

/** The public catalog, newest first. */
const productRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store }) => {
  const listSchema = {
    summary: 'List products, newest first (cursor paging)',
    operationId: 'listProducts',
    tags: ['catalog'],
    security: PUBLIC,
    querystring: PageQuery,
    response: { 200: page(ProductDto) },
  };
  app.get('/', { schema: listSchema }, async (request) => {
    const result = await listProducts(store, request.query);
    return { data: result.items.map(toProductDto), nextCursor: result.nextCursor };
  });

  const getSchema = {
    summary: 'Get one product',
    operationId: 'getProduct',
    tags: ['catalog'],
    security: PUBLIC,
    params: IdParams,
    response: { 200: ProductDto },
  };
  app.get('/:id', { schema: getSchema }, async (request) => toProductDto(await getProduct(store, request.params.id)));
};

export default productRoutes;
