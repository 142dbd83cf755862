import type { Tier } from '@oms/contracts';
import type { User } from '../../domain/user';

export interface RefreshToken {
  tokenHash: string; // sha-256 of the opaque token; the token itself is never stored
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface UserRepository {
  /** Throws DuplicateKeyError('email') when the email is taken. */
  createUser(user: User): Promise<void>;
  findUserByEmail(email: string): Promise<User | null>;
  findUserById(id: string): Promise<User | null>;
  /** Sets the customer tier (admin); returns the updated user, or null when there is no such user. */
  setUserTier(id: string, tier: Tier): Promise<User | null>;
  /**
   * Replaces the password hash and revokes every refresh token of the user (all logins end);
   * returns false when there is no such user.
   */
  changePasswordHash(userId: string, passwordHash: string, now: Date): Promise<boolean>;
}

export interface RefreshTokenRepository {
  insertRefreshToken(token: RefreshToken): Promise<void>;
  /**
   * Atomically marks an unused, unrevoked, unexpired token as used and returns it.
   * Returns { reused: true } with the stored row when it was already used (replay) and its family is
   * not revoked; null when unknown, revoked, or (unused but) expired.
   */
  consumeRefreshToken(tokenHash: string, now: Date): Promise<{ token: RefreshToken; reused: boolean } | null>;
  revokeRefreshFamily(familyId: string, now: Date): Promise<void>;
}
