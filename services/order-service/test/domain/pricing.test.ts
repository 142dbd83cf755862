import { DomainError } from '../../src/domain/errors';
import { priceOrder, taxOn, type PricingInput } from '../../src/domain/pricing';

const line = (over: Partial<PricingInput> = {}): PricingInput => ({
  productId: 'p1',
  sku: 'SKU-1',
  name: 'Phone',
  unitPriceCents: 100_000,
  currency: 'INR',
  quantity: 1,
  ...over,
});

describe('priceOrder', () => {
  it('prices the must-show example: 100000 x 2 -> subtotal 200000, 18% tax 36000, total 236000', () => {
    const priced = priceOrder([line({ quantity: 2 })], 1800);
    expect(priced).toEqual({
      items: [{ productId: 'p1', sku: 'SKU-1', name: 'Phone', unitPriceCents: 100_000, quantity: 2, lineTotalCents: 200_000 }],
      subtotalCents: 200_000,
      taxCents: 36_000,
      totalCents: 236_000,
      currency: 'INR',
    });
  });

  it('adds line totals into the subtotal and taxes the subtotal once', () => {
    // Three lines of 3: rounding per line would give 0.54 -> 1, three times = 3; once on 9 it is 1.62 -> 2.
    const priced = priceOrder(
      [
        line({ productId: 'a', unitPriceCents: 3 }),
        line({ productId: 'b', unitPriceCents: 3 }),
        line({ productId: 'c', unitPriceCents: 3 }),
      ],
      1800,
    );
    expect(priced.subtotalCents).toBe(9);
    expect(priced.taxCents).toBe(2);
    expect(priced.totalCents).toBe(11);
  });

  it('refuses lines in different currencies', () => {
    const attempt = () => priceOrder([line(), line({ productId: 'p2', sku: 'SKU-2', currency: 'USD' })], 1800);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/SKU-2 is USD/);
  });

  it('refuses an order without lines', () => {
    expect(() => priceOrder([], 1800)).toThrow(expect.objectContaining({ code: 'empty-order' }));
  });

  it('refuses totals beyond exact integer range', () => {
    expect(() => priceOrder([line({ unitPriceCents: Number.MAX_SAFE_INTEGER })], 1800)).toThrow(DomainError);
  });
});

describe('taxOn (half-up to the minor unit)', () => {
  it.each([
    [1002, 1800, 180], // 180.36 -> down
    [1003, 1800, 181], // 180.54 -> up
    [25, 1800, 5], // 4.5 exactly -> up
    [1, 5000, 1], // 0.5 exactly -> up
    [1, 4999, 0], // 0.4999 -> down
    [0, 1800, 0],
    [200_000, 0, 0],
    [999_999_999_999, 1800, 180_000_000_000], // 179999999999.82 -> up, no float error
  ])('subtotal %i at %i bps -> %i', (subtotal, bps, tax) => {
    expect(taxOn(subtotal, bps)).toBe(tax);
  });

  it('rejects negative or fractional inputs', () => {
    expect(() => taxOn(-1, 1800)).toThrow(DomainError);
    expect(() => taxOn(1.5, 1800)).toThrow(DomainError);
    expect(() => taxOn(100, 18.5)).toThrow(DomainError);
  });
});
