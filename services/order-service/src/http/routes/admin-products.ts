import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProductDto } from '@oms/contracts';
import { z } from 'zod';
import { createProduct, updateProduct } from '../../app/products';
import type { RouteContext } from '../context';
import { toProductDto } from '../presenters';
import { DisplayText, IdParams } from '../schemas';

const MAX_PRICE_CENTS = 1e12;
const MAX_STOCK = 1e9;
/**
 * Codes this runtime's ICU knows (prices are formatted with it); events and DTOs keep accepting
 * any well-formed code, so a service on another Node version never refuses one.
 */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const KnownCurrency = z.string().refine((code) => KNOWN_CURRENCIES.has(code), 'not an ISO 4217 currency code');

const NewProductBody = z.object({
  sku: DisplayText(64),
  name: DisplayText(200),
  priceCents: z.number().int().min(0).max(MAX_PRICE_CENTS),
  currency: KnownCurrency,
  stock: z.number().int().min(0).max(MAX_STOCK),
});
const ProductPatchBody = NewProductBody.omit({ sku: true })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one field to change');

/** Catalog management; every route here needs the admin role. */
const adminProductRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store, now }) => {
  app.addHook('onRequest', app.requireAdmin);

  app.post('/', { schema: { summary: 'Create a product', body: NewProductBody, response: { 201: ProductDto } } }, async (request, reply) =>
    reply.code(201).send(toProductDto(await createProduct(store, request.body, now()))),
  );

  app.patch('/:id', { schema: { summary: 'Change a product (name, price, currency, stock)', params: IdParams, body: ProductPatchBody, response: { 200: ProductDto } } }, async (request) =>
    toProductDto(await updateProduct(store, request.params.id, request.body, now())),
  );
};

export default adminProductRoutes;
