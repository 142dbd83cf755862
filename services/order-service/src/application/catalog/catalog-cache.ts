import { overrideMethods } from '../shared/override-methods';
import type { OrderRepository } from '../orders/ports';
import type { PageRequest } from '../shared/page';
import type { ProductRepository } from './ports';
import type { ReadCache } from './read-cache';

const LISTS = 'products:list:';
const productKey = (id: string) => `products:one:${id}`;
/** Everything that changes the answer: page size and cursor position. */
const listKey = (page: PageRequest) => `${LISTS}${page.limit}:${page.after ? `${page.after.createdAt.getTime()}:${page.after.id}` : ''}`;

/**
 * Product reads served from the cache; every write that changes a product (create, patch, an
 * order's stock deduction, a deleted order's stock coming back) drops the entries it touched once it has committed, before its caller
 * answers, so nobody who saw the write can read the old value afterwards.
 */
export function withCatalogCache<S extends ProductRepository & OrderRepository>(store: S, cache: ReadCache): S {
  const overrides: Partial<ProductRepository & OrderRepository> = {
    getProduct: (id) => cache.getOrLoad(productKey(id), () => store.getProduct(id)),
    listProducts: (page) => cache.getOrLoad(listKey(page), () => store.listProducts(page)),
    async createProduct(product) {
      try {
        await store.createProduct(product);
      } finally {
        cache.invalidatePrefix(LISTS);
      }
    },
    async updateProduct(id, patch, now) {
      try {
        return await store.updateProduct(id, patch, now);
      } finally {
        cache.invalidate(productKey(id));
        cache.invalidatePrefix(LISTS);
      }
    },
    async placeOrder(req) {
      const result = await store.placeOrder(req);
      if (result.kind === 'created') {
        for (const line of result.order.items) cache.invalidate(productKey(line.productId));
        cache.invalidatePrefix(LISTS);
      }
      return result;
    },
    async deleteOrder(id) {
      const deleted = await store.deleteOrder(id);
      // A PENDING order's stock goes back to its products.
      if (deleted) {
        for (const line of deleted.items) cache.invalidate(productKey(line.productId));
        cache.invalidatePrefix(LISTS);
      }
      return deleted;
    },
  };
  return overrideMethods(store, overrides as Partial<S>);
}
