import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProductDto } from '@oms/contracts';
import { z } from 'zod';
import { createProduct, updateProduct } from '../../application/catalog/products';
import type { RouteContext } from '../context';
import { toProductDto } from '../presenters';
import { BEARER, DisplayText, IdParams } from '../schemas';

const MAX_PRICE_CENTS = 1e12;
const MAX_STOCK = 1e9;
/**
 * Codes this runtime's ICU knows (prices are formatted with it); events and DTOs keep accepting
 * any well-formed code, so a service on another Node version never refuses one.
 */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const KnownCurrency = z.string().refine((code) => KNOWN_CURRENCIES.has(code), 'not an ISO 4217 currency code');

const NewProductBody = z.object({
  sku: DisplayText(64).meta({ example: 'KETTLE-1' }),
  name: DisplayText(200).meta({ example: 'Copper kettle' }),
  priceCents: z.number().int().min(0).max(MAX_PRICE_CENTS).meta({ example: 100_000 }),
  currency: KnownCurrency.meta({ example: 'INR' }),
  stock: z.number().int().min(0).max(MAX_STOCK).meta({ example: 5 }),
});
const ProductPatchBody = NewProductBody.omit({ sku: true })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one field to change')
  .meta({ example: { priceCents: 95_000, stock: 20 } });

/** Catalog management; every route here needs the admin role. */
const adminProductRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store, now }) => {
  app.addHook('onRequest', app.requireAdmin);

  const createSchema = {
    summary: 'Create a product',
    operationId: 'createProduct',
    tags: ['admin'],
    security: BEARER,
    body: NewProductBody,
    response: { 201: ProductDto },
  };
  app.post('/', { schema: createSchema }, async (request, reply) =>
    reply.code(201).send(toProductDto(await createProduct(store, request.body, now()))),
  );

  const updateSchema = {
    summary: 'Change a product (name, price, currency, stock)',
    operationId: 'updateProduct',
    tags: ['admin'],
    security: BEARER,
    params: IdParams,
    body: ProductPatchBody,
    response: { 200: ProductDto },
  };
  app.patch('/:id', { schema: updateSchema }, async (request) =>
    toProductDto(await updateProduct(store, request.params.id, request.body, now())),
  );
};

export default adminProductRoutes;
