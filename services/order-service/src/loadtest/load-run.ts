import type { LoadRunHealth, LoadRunPhase } from '@oms/contracts';

/**
 * The pure rules of a load run: its phase machine, health classification and the
 * throughput / ETA arithmetic behind GET /api/admin/load-runs/current.
 */

export const ACTIVE_PHASES: readonly LoadRunPhase[] = ['GENERATING', 'DRAINING_VIP', 'DRAINING_NORMAL'];
export const isActive = (phase: LoadRunPhase): boolean => ACTIVE_PHASES.includes(phase);

export interface RunCounts {
  target: number;
  until: 'generated' | 'processed';
  generated: { VIP: number; NORMAL: number };
  /** PROCESSED or FAILED, per priority. */
  completed: { VIP: number; NORMAL: number };
}

/**
 * Moves an active run forward as far as its counts allow: GENERATING -> (DONE when only generation
 * was asked for) DRAINING_VIP -> DRAINING_NORMAL -> DONE. Other phases are left alone.
 */
export function settlePhase(phase: LoadRunPhase, c: RunCounts): LoadRunPhase {
  let p = phase;
  if (p === 'GENERATING' && c.generated.VIP + c.generated.NORMAL >= c.target) p = c.until === 'generated' ? 'DONE' : 'DRAINING_VIP';
  if (p === 'DRAINING_VIP' && c.completed.VIP >= c.generated.VIP) p = 'DRAINING_NORMAL';
  if (p === 'DRAINING_NORMAL' && c.completed.NORMAL >= c.generated.NORMAL) p = 'DONE';
  return p;
}

export type StopReason = 'cancel' | 'error';

/** Cancel -> ABORTED, a failure -> ERROR; only an active run can stop, otherwise null. */
export function stopPhase(phase: LoadRunPhase, reason: StopReason): LoadRunPhase | null {
  if (!isActive(phase)) return null;
  return reason === 'cancel' ? 'ABORTED' : 'ERROR';
}

/** No progress for this long while work remains reads as paused (consumer down, SMTP down...). */
export const PAUSED_AFTER_MS = 10_000;
/** More failures than this share of completions, or a recent rate below this share of the average, is degraded. */
export const DEGRADED_FAILURE_SHARE = 0.01;
export const DEGRADED_RATE_SHARE = 0.25;

export interface HealthFacts {
  phase: LoadRunPhase;
  completed: number;
  failed: number;
  /** Time since the last generated or completed order. */
  sinceProgressMs: number;
  recentPerSec: number | null;
  averagePerSec: number | null;
}

export function classifyHealth(f: HealthFacts): LoadRunHealth {
  if (f.phase === 'ABORTED') return 'aborted';
  if (f.phase === 'ERROR') return 'error';
  if (isActive(f.phase) && f.sinceProgressMs >= PAUSED_AFTER_MS) return 'paused';
  if (f.completed > 0 && f.failed / f.completed > DEGRADED_FAILURE_SHARE) return 'degraded';
  if (isActive(f.phase) && f.recentPerSec !== null && f.averagePerSec && f.recentPerSec < DEGRADED_RATE_SHARE * f.averagePerSec) {
    return 'degraded';
  }
  return 'healthy';
}

/** Items per second over a span; null for an empty span. */
export function perSecond(count: number, ms: number): number | null {
  return ms > 0 ? (count * 1000) / ms : null;
}

/** Time left at the given rate; 0 when nothing remains, null when the rate is unknown or zero. */
export function etaMs(remaining: number, perSec: number | null): number | null {
  if (remaining <= 0) return 0;
  return perSec ? Math.round((remaining / perSec) * 1000) : null;
}

/** Rate over the newest samples (time ms, cumulative count) that span at most windowMs. */
export function recentRate(samples: readonly { at: number; count: number }[], windowMs: number): number | null {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const first = samples.find((s) => last.at - s.at <= windowMs) ?? last;
  return perSecond(last.count - first.count, last.at - first.at);
}
