import { retryDelaySec } from '../../src/application/retry-delay';

describe('retryDelaySec', () => {
  it('doubles with each receive from the base', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelaySec(n, 5, 300))).toEqual([5, 10, 20, 40, 80]);
  });
  it('is capped', () => {
    expect(retryDelaySec(20, 5, 300)).toBe(300);
  });
  it('treats a missing or odd receive count as the first', () => {
    expect(retryDelaySec(0, 5, 300)).toBe(5);
  });
});
