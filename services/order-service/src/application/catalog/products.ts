import { newId } from '../shared/ids';
import { ConflictError, DuplicateKeyError, NotFoundError } from '../shared/errors';
import { toPageRequest, toPageResult, type PageQuery, type PageResult } from '../shared/paging';
import type { Product } from '../../domain/product';
import type { ProductPatch, ProductRepository } from './ports';

export interface NewProduct {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

const notFound = (id: string) => new NotFoundError('product-not-found', `product ${id} does not exist`);

export async function createProduct(store: ProductRepository, input: NewProduct, now: Date): Promise<Product> {
  const product: Product = { id: newId(), ...input, createdAt: now, updatedAt: now };
  try {
    await store.createProduct(product);
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw new ConflictError('sku-taken', `a product with sku ${input.sku} already exists`);
    throw err;
  }
  return product;
}

export async function updateProduct(store: ProductRepository, id: string, patch: ProductPatch, now: Date): Promise<Product> {
  const product = await store.updateProduct(id, patch, now);
  if (!product) throw notFound(id);
  return product;
}

export async function getProduct(store: ProductRepository, id: string): Promise<Product> {
  const product = await store.getProduct(id);
  if (!product) throw notFound(id);
  return product;
}

export async function listProducts(store: ProductRepository, query: PageQuery): Promise<PageResult<Product>> {
  return toPageResult(await store.listProducts(toPageRequest(query)));
}
