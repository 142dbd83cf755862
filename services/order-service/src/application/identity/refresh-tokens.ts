import { createHash, randomBytes } from 'node:crypto';

/** Opaque refresh token: 32 random bytes; only its sha-256 is stored. */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');
