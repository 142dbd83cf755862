import { percentile } from '@oms/platform';
import { summarizeProcessingTimes } from '../../../src/application/operations/processing-summary';

describe('processing summary', () => {
  it('is empty without values', () => {
    expect(summarizeProcessingTimes([])).toEqual({ count: 0, avgMs: null, p50Ms: null, p99Ms: null });
  });

  it('uses nearest-rank percentiles and a rounded mean, whatever the input order', () => {
    expect(summarizeProcessingTimes([30, 10, 20, 40])).toEqual({ count: 4, avgMs: 25, p50Ms: 20, p99Ms: 40 });
    expect(summarizeProcessingTimes([7])).toEqual({ count: 1, avgMs: 7, p50Ms: 7, p99Ms: 7 });
  });

  it('puts p99 of 200 values at the 198th smallest', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(198);
    expect(percentile(values, 50)).toBe(100);
    expect(percentile(values, 100)).toBe(200);
  });
});
