import { parseArgs } from 'node:util';
import { Tier, TierMix } from '@oms/contracts';

/** "BRONZE=40,SILVER=30,GOLD=20,DIAMOND=10" -> a validated TierMix; throws with a message naming the bad part. */
export function parseTierMix(text: string): TierMix {
  const mix: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, weight] = part.split('=');
    const tier = Tier.safeParse(name?.trim().toUpperCase());
    const w = Number(weight);
    if (!tier.success || weight === undefined || !Number.isFinite(w) || w < 0) {
      throw new Error(`bad tier weight "${part}" (expected e.g. DIAMOND=10; tiers: ${Tier.options.join(', ')})`);
    }
    mix[tier.data] = w;
  }
  const parsed = TierMix.safeParse(mix);
  if (!parsed.success) throw new Error(`bad tier mix "${text}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** A positive integer option, with thousands separators allowed (1_000_000 or 1,000,000). */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${value}")`);
  return n;
}

export { parseArgs };
