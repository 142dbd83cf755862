import { PROBE_TIMEOUT_MS, withTimeout } from './timeout';

/** A named dependency probe; rejects when the dependency is not usable. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checks: Record<string, 'ok' | 'down'>;
}

/**
 * Runs every probe (each bounded by PROBE_TIMEOUT_MS, so a hung dependency reads as down). The
 * answer says only ok/down: readiness is public, and error text names hosts, addresses and ports.
 * Why a check is down goes to `logDown` instead.
 */
export async function checkReadiness(checks: ReadinessChecks, logDown: (errors: Record<string, string>) => void): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const settled = await Promise.allSettled(names.map((name) => withTimeout(Promise.resolve().then(checks[name]), PROBE_TIMEOUT_MS)));
  const errors: Record<string, string> = {};
  settled.forEach((s, i) => {
    if (s.status === 'rejected') errors[names[i]!] = s.reason instanceof Error ? s.reason.message : String(s.reason);
  });
  if (Object.keys(errors).length > 0) logDown(errors);
  return {
    status: Object.keys(errors).length === 0 ? 'ready' : 'not-ready',
    checks: Object.fromEntries(names.map((name) => [name, name in errors ? 'down' : 'ok'])),
  };
}
