import type { Product } from '../../domain/product';
import type { Page, PageRequest } from '../shared/page';

export interface ProductPatch {
  name?: string;
  priceCents?: number;
  currency?: string;
  stock?: number;
}

export interface ProductRepository {
  /** Throws DuplicateKeyError('sku') when the sku is taken. */
  createProduct(product: Product): Promise<void>;
  updateProduct(id: string, patch: ProductPatch, now: Date): Promise<Product | null>;
  getProduct(id: string): Promise<Product | null>;
  listProducts(page: PageRequest): Promise<Page<Product>>;
}
