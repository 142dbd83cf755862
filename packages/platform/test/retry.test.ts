import { backoffDelay, percentile, sleep } from '../src';

describe('backoffDelay', () => {
  it('without jitter doubles from base up to cap, attempt 0 and fractions counting as their floor (min 1)', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { base: 5, cap: 300, jitter: false }))).toEqual([5, 10, 20, 40, 80]);
    expect(backoffDelay(20, { base: 5, cap: 300, jitter: false })).toBe(300);
    expect(backoffDelay(0, { base: 5, cap: 300, jitter: false })).toBe(5);
    expect(backoffDelay(2.9, { base: 5, cap: 300, jitter: false })).toBe(10);
    // huge attempts: 2^n overflows to Infinity, the cap still holds
    expect(backoffDelay(5_000, { base: 250, cap: 8_000, jitter: false })).toBe(8_000);
  });

  it('with jitter picks in [ceiling/2, ceiling], rounded', () => {
    expect(backoffDelay(1, { base: 500, cap: 10_000, random: () => 0 })).toBe(250);
    expect(backoffDelay(1, { base: 500, cap: 10_000, random: () => 1 })).toBe(500);
    expect(backoffDelay(3, { base: 500, cap: 10_000, random: () => 0.5 })).toBe(1_500);
    expect(backoffDelay(30, { base: 500, cap: 10_000, random: () => 0 })).toBe(5_000);
    for (let attempt = 1; attempt < 12; attempt++) {
      const d = backoffDelay(attempt, { base: 200, cap: 10_000 });
      const ceiling = Math.min(10_000, 200 * 2 ** (attempt - 1));
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
  });

  // The formulas it replaced, kept here as the proof that callers' numbers did not change.
  it('equals the three formulas it replaced', () => {
    const outbox = (attempt: number, baseMs: number, capMs: number, random: () => number) => {
      const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
      return Math.round(ceiling / 2 + (random() * ceiling) / 2);
    };
    const retryDelaySec = (receiveCount: number, baseSec: number, maxSec: number) =>
      Math.min(maxSec, baseSec * 2 ** (Math.max(1, Math.floor(receiveCount)) - 1));
    const slowdown = (beyond: number) => Math.min(8_000, 250 * 2 ** Math.min(beyond - 1, 16));
    for (let n = 0; n <= 40; n++) {
      for (const r of [0, 0.25, 0.5, 0.999]) {
        expect(backoffDelay(n, { base: 500, cap: 60_000, random: () => r })).toBe(outbox(n, 500, 60_000, () => r));
        expect(backoffDelay(n, { base: 1000, cap: 60_000, random: () => r })).toBe(outbox(n, 1000, 60_000, () => r));
      }
      expect(backoffDelay(n, { base: 5, cap: 300, jitter: false })).toBe(retryDelaySec(n, 5, 300));
      expect(backoffDelay(n, { base: 500, cap: 10_000, jitter: false })).toBe(Math.min(10_000, 500 * 2 ** (Math.max(1, n) - 1)));
      if (n >= 1) expect(backoffDelay(n, { base: 250, cap: 8_000, jitter: false })).toBe(slowdown(n));
    }
  });
});

describe('sleep', () => {
  it('waits, or resolves at once when the signal aborts (before or during)', async () => {
    const t = Date.now();
    await sleep(20);
    expect(Date.now() - t).toBeGreaterThanOrEqual(15);
    const aborted = new AbortController();
    aborted.abort();
    await sleep(60_000, aborted.signal);
    const later = new AbortController();
    setTimeout(() => later.abort(), 10);
    await sleep(60_000, later.signal);
  });
});

describe('percentile', () => {
  it('is nearest-rank over ascending values', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(198);
    expect(percentile(values, 50)).toBe(100);
    expect(percentile(values, 100)).toBe(200);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
