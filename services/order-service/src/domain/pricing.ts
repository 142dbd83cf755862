import { DomainError } from './errors';

/** Money is integer minor units (paise, cents) next to an ISO 4217 currency code; never floats. */
export interface PricingInput {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  currency: string;
  quantity: number;
}

export interface PricedLine {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

export interface PricedOrder {
  items: PricedLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
}

const BPS_PER_UNIT = 10_000n;

/**
 * Tax rule: tax = subtotal * rateBps / 10000, rounded half-up to the minor unit, computed ONCE
 * on the order subtotal (not per line, so line roundings cannot add up). Exact integer
 * arithmetic in BigInt: e.g. 18% of 1003 paise = 180.54 -> 181; of 1002 = 180.36 -> 180;
 * an exact half such as 18% of 25 = 4.5 -> 5.
 */
export function taxOn(subtotalCents: number, rateBps: number): number {
  if (!Number.isSafeInteger(subtotalCents) || subtotalCents < 0)
    throw new DomainError('invalid-amount', 'subtotal must be a non-negative integer');
  if (!Number.isInteger(rateBps) || rateBps < 0)
    throw new DomainError('invalid-tax-rate', 'tax rate must be a non-negative integer of basis points');
  return Number((BigInt(subtotalCents) * BigInt(rateBps) + BPS_PER_UNIT / 2n) / BPS_PER_UNIT);
}

/** Prices an order from a snapshot of product prices; all lines must share one currency. */
export function priceOrder(lines: PricingInput[], taxRateBps: number): PricedOrder {
  const currency = lines[0]?.currency;
  if (currency === undefined) throw new DomainError('empty-order', 'an order needs at least one line');
  const mixed = lines.filter((l) => l.currency !== currency);
  if (mixed.length > 0) {
    throw new DomainError(
      'mixed-currency',
      `all lines must share one currency (${currency}); ${mixed.map((l) => `${l.sku} is ${l.currency}`).join(', ')}`,
    );
  }
  const items = lines.map(({ productId, sku, name, unitPriceCents, quantity }) => ({
    productId,
    sku,
    name,
    unitPriceCents,
    quantity,
    lineTotalCents: unitPriceCents * quantity,
  }));
  const subtotalCents = items.reduce((sum, l) => sum + l.lineTotalCents, 0);
  const taxCents = taxOn(subtotalCents, taxRateBps);
  const totalCents = subtotalCents + taxCents;
  if (!Number.isSafeInteger(totalCents)) throw new DomainError('amount-too-large', 'order total is too large');
  return { items, subtotalCents, taxCents, totalCents, currency };
}
