export interface Product {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
  createdAt: Date;
  updatedAt: Date;
}
