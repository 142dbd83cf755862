/**
 * Production refusals for credentials. Each known default is one that ships in this repository
 * (code, docker-compose.yml, examples): anyone who read it could sign admin tokens or log in.
 */
export const KNOWN_JWT_SECRETS: readonly string[] = [
  'dev-only-insecure-jwt-secret-do-not-use-in-production',
  'compose-dev-only-jwt-secret-change-me-please-0123456789',
];
export const KNOWN_ADMIN_PASSWORDS: readonly string[] = ['Admin@123'];

/** About what 24 random bytes give; a 32-byte base64 or hex secret from a CSPRNG clears it easily. */
const MIN_SECRET_BITS = 100;

/**
 * Shannon entropy of the string's own characters times its length: a cheap estimate that is low
 * for repeats and small alphabets ('a' x 32, 'abab...') and high for random base64/hex.
 */
export function estimatedEntropyBits(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...s].length;
  let perChar = 0;
  for (const c of counts.values()) perChar -= (c / n) * Math.log2(c / n);
  return perChar * n;
}

/** Why a JWT secret (already at least 32 characters long) is unfit for production, or null when it is fine. */
export function jwtSecretProblem(secret: string): string | null {
  if (KNOWN_JWT_SECRETS.includes(secret)) return 'is a published default from this repository; set a secret of your own';
  if (estimatedEntropyBits(secret) < MIN_SECRET_BITS) {
    return 'has too little entropy (repeated or predictable characters); use e.g. `openssl rand -base64 48`';
  }
  return null;
}
