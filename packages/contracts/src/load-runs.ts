import { z } from 'zod';
import { Tier } from './common';

/**
 * Load runs: generate many orders, watch them drain VIP first, keep a history.
 * Served by the order service under /api/admin/load-runs; driven by `pnpm loadgen` / `pnpm bench`.
 */
export const LoadRunMode = z.enum(['api', 'bulk']);
export type LoadRunMode = z.infer<typeof LoadRunMode>;

export const LoadRunPhase = z.enum(['IDLE', 'GENERATING', 'DRAINING_VIP', 'DRAINING_NORMAL', 'DONE', 'ABORTED', 'ERROR']);
export type LoadRunPhase = z.infer<typeof LoadRunPhase>;

export const LoadRunHealth = z.enum(['healthy', 'degraded', 'paused', 'aborted', 'error']);
export type LoadRunHealth = z.infer<typeof LoadRunHealth>;

/** Relative weights per tier; tiers left out get none. */
export const TierMix = z
  .partialRecord(Tier, z.number().min(0).max(1_000_000))
  .refine((mix) => Object.values(mix).some((w) => (w ?? 0) > 0), 'give at least one tier a weight above 0');
export type TierMix = z.infer<typeof TierMix>;

export const DEFAULT_TIER_MIX: TierMix = { BRONZE: 40, SILVER: 30, GOLD: 20, DIAMOND: 10 };

export const StartLoadRun = z
  .object({
    mode: LoadRunMode,
    orders: z.number().int().min(1).max(5_000_000),
    mix: TierMix.default(DEFAULT_TIER_MIX),
    /** `generated`: the run is DONE once every order is written; `processed`: once every order is PROCESSED or FAILED. */
    until: z.enum(['generated', 'processed']).default('processed'),
  })
  .meta({ example: { mode: 'bulk', orders: 1000, mix: DEFAULT_TIER_MIX, until: 'processed' } });
export type StartLoadRun = z.infer<typeof StartLoadRun>;

const iso = z.string().nullable();

/** One priority's processing window: first to last completion, plus when its first/last order began. */
export const PriorityWindow = z.object({
  generated: z.number().int(),
  processed: z.number().int(),
  failed: z.number().int(),
  start: iso,
  end: iso,
  durationMs: z.number().nullable(),
  firstStartedAt: iso,
  lastStartedAt: iso,
});
export type PriorityWindow = z.infer<typeof PriorityWindow>;

export const LoadRunDto = z.object({
  id: z.string(),
  mode: LoadRunMode,
  until: z.enum(['generated', 'processed']),
  phase: LoadRunPhase,
  health: LoadRunHealth,
  mix: TierMix,
  startedAt: z.string(),
  finishedAt: iso,
  progress: z.object({ target: z.number().int(), generated: z.number().int(), processed: z.number().int(), failed: z.number().int() }),
  generation: z.object({ startedAt: iso, endedAt: iso, durationMs: z.number().nullable(), ordersPerSec: z.number().nullable() }),
  processing: z.object({ VIP: PriorityWindow, NORMAL: PriorityWindow }),
  /** No NORMAL order began before the last VIP order began (null until both have begun). */
  vipDrainedFirst: z.boolean().nullable(),
  throughput: z.object({ ordersPerSec: z.number().nullable(), recentOrdersPerSec: z.number().nullable() }),
  etaMs: z.number().nullable(),
  /** placed -> PROCESSED as the order service sees it (commit to applied status event). */
  latency: z.object({ samples: z.number().int(), p50Ms: z.number().nullable(), p99Ms: z.number().nullable() }),
  error: z.string().nullable(),
});
export type LoadRunDto = z.infer<typeof LoadRunDto>;

/**
 * Deterministic tier for the n-th generated order: 1000 slots split by weight and visited in a
 * scrambled order (919 is coprime with 1000), so any 1000 consecutive orders follow the mix exactly,
 * tiers are interleaved, and no randomness leaks into benchmarks.
 */
export function tierAt(mix: TierMix, n: number): Tier {
  const tiers = Tier.options.filter((t) => (mix[t] ?? 0) > 0);
  const total = tiers.reduce((s, t) => s + mix[t]!, 0);
  const slot = (((n * 919) % 1000) + 0.5) / 1000;
  let acc = 0;
  for (const t of tiers) {
    acc += mix[t]! / total;
    if (slot < acc) return t;
  }
  return tiers[tiers.length - 1]!;
}
