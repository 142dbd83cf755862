import { DEFAULT_TIER_MIX, LoadRunDto, Tier, tierAt } from '@oms/contracts';
import { parseTierMix, positiveInt } from '../src/args';
import { lineChartSvg, ratesFromCounts } from '../src/bench/chart';
import { formatDuration, progressLine } from '../src/progress';

describe('tier mix', () => {
  it('parses weights per tier, case-insensitively', () => {
    expect(parseTierMix('bronze=40, SILVER=30,gold=20,Diamond=10')).toEqual(DEFAULT_TIER_MIX);
    expect(parseTierMix('DIAMOND=1')).toEqual({ DIAMOND: 1 });
  });

  it('refuses unknown tiers, bad weights and an all-zero mix, naming the problem', () => {
    expect(() => parseTierMix('PLATINUM=5')).toThrow(/PLATINUM=5/);
    expect(() => parseTierMix('GOLD=-1')).toThrow(/GOLD=-1/);
    expect(() => parseTierMix('GOLD')).toThrow(/GOLD/);
    expect(() => parseTierMix('GOLD=0,SILVER=0')).toThrow(/at least one tier/);
  });

  it('follows the mix exactly over any 1000 consecutive orders', () => {
    for (const start of [0, 1, 999, 123_456]) {
      const seen: Record<string, number> = {};
      for (let n = start; n < start + 1000; n++) seen[tierAt(DEFAULT_TIER_MIX, n)] = (seen[tierAt(DEFAULT_TIER_MIX, n)] ?? 0) + 1;
      expect(seen).toEqual({ BRONZE: 400, SILVER: 300, GOLD: 200, DIAMOND: 100 });
    }
  });

  it('interleaves tiers instead of handing them out in blocks', () => {
    const first20 = Array.from({ length: 20 }, (_, n) => tierAt(DEFAULT_TIER_MIX, n));
    expect(new Set(first20).size).toBeGreaterThanOrEqual(3);
  });

  it('never picks a tier without weight', () => {
    for (let n = 0; n < 1000; n++) expect(tierAt({ GOLD: 3, DIAMOND: 1 }, n)).toMatch(/^(GOLD|DIAMOND)$/);
    expect(Tier.options.filter((t) => t !== 'SILVER').every((t) => tierAt({ SILVER: 1 }, 7) !== t)).toBe(true);
  });

  it('reads positive integers with separators', () => {
    expect(positiveInt('orders', '1_000_000', 5)).toBe(1_000_000);
    expect(positiveInt('orders', '1,000', 5)).toBe(1000);
    expect(positiveInt('orders', undefined, 5)).toBe(5);
    expect(() => positiveInt('orders', '0', 5)).toThrow(/--orders/);
    expect(() => positiveInt('orders', 'many', 5)).toThrow(/--orders/);
  });
});

describe('progress and chart', () => {
  const run = LoadRunDto.parse({
    id: 'r1',
    mode: 'bulk',
    until: 'processed',
    phase: 'DRAINING_NORMAL',
    health: 'healthy',
    mix: DEFAULT_TIER_MIX,
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: null,
    progress: { target: 1000, generated: 1000, processed: 250, failed: 0 },
    generation: { startedAt: null, endedAt: null, durationMs: 100, ordersPerSec: 10_000 },
    processing: {
      VIP: {
        generated: 100,
        processed: 100,
        failed: 0,
        start: null,
        end: null,
        durationMs: null,
        firstStartedAt: null,
        lastStartedAt: null,
      },
      NORMAL: {
        generated: 900,
        processed: 150,
        failed: 0,
        start: null,
        end: null,
        durationMs: null,
        firstStartedAt: null,
        lastStartedAt: null,
      },
    },
    vipDrainedFirst: true,
    throughput: { ordersPerSec: 500, recentOrdersPerSec: 480 },
    etaMs: 95_000,
    latency: { samples: 0, p50Ms: null, p99Ms: null },
    error: null,
  });

  it('shows processing progress once generation is done', () => {
    const line = progressLine(run);
    expect(line).toContain(' 25.0%');
    expect(line).toContain('done 250');
    expect(line).toContain('480/s');
    expect(line).toContain('ETA 1m35s');
    expect(line).toContain('DRAINING_NORMAL (healthy)');
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('--');
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(3_725_000)).toBe('1h02m');
  });

  it('turns cumulative counts into rates and draws them as an SVG', () => {
    const rates = ratesFromCounts([
      { t: 0, count: 0 },
      { t: 0.5, count: 100 },
      { t: 1, count: 100 },
    ]);
    expect(rates).toEqual([
      [0.5, 200],
      [1, 0],
    ]);
    const svg = lineChartSvg(
      'a <b> title',
      'per second',
      [{ name: 'orders', color: '#123456', points: rates }],
      [{ at: 0.5, label: 'drain' }],
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &lt;b&gt; title');
    expect(svg).toContain('<polyline');
    expect(svg).toContain('drain');
  });
});
