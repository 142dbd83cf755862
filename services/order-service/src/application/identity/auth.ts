import { newId } from '../shared/ids';
import type { AccessTokens } from './access-tokens';
import { ConflictError, DuplicateKeyError, ForbiddenError, NotFoundError, UnauthorizedError } from '../shared/errors';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import type { RefreshTokenRepository, UserRepository } from './ports';
import type { User } from '../../domain/user';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens';

export interface AuthDeps {
  store: UserRepository & RefreshTokenRepository;
  tokens: AccessTokens;
  refreshTtlDays: number;
  now: () => Date;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
  user: User;
}

const DAY_MS = 86_400_000;
const badLogin = () => new UnauthorizedError('invalid-credentials', 'email or password is wrong');
const badRefresh = () => new UnauthorizedError('invalid-refresh-token', 'refresh token is invalid, expired or revoked');

export async function register(
  deps: Pick<AuthDeps, 'store' | 'now'>,
  input: { username: string; email: string; password: string },
): Promise<User> {
  const user: User = {
    id: newId(),
    username: input.username,
    email: input.email.toLowerCase(),
    passwordHash: await hashPassword(input.password),
    role: 'customer',
    tier: 'BRONZE',
    createdAt: deps.now(),
  };
  try {
    await deps.store.createUser(user);
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw new ConflictError('email-taken', 'an account with this email already exists');
    throw err;
  }
  return user;
}

/** Unknown email and wrong password get the same answer after the same work (no enumeration). */
export async function login(deps: AuthDeps, input: { email: string; password: string }): Promise<Session> {
  const user = await deps.store.findUserByEmail(input.email.toLowerCase());
  if (!user) {
    await verifyAgainstDummy(input.password);
    throw badLogin();
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) throw badLogin();
  return startSession(deps, user, newId());
}

/** Rotates the token; presenting a used one again means it leaked, so the whole family dies. */
export async function refresh(deps: AuthDeps, refreshToken: string): Promise<Session> {
  const now = deps.now();
  const consumed = await deps.store.consumeRefreshToken(hashRefreshToken(refreshToken), now);
  if (!consumed) throw badRefresh();
  if (consumed.reused) {
    await deps.store.revokeRefreshFamily(consumed.token.familyId, now);
    throw new UnauthorizedError('refresh-token-reused', 'refresh token was already used; all sessions of this login are revoked');
  }
  const user = await deps.store.findUserById(consumed.token.userId);
  if (!user) throw badRefresh();
  return startSession(deps, user, consumed.token.familyId);
}

/** Revokes the token's family; unknown tokens are ignored so logout is always safe to call. */
export async function logout(deps: Pick<AuthDeps, 'store' | 'now'>, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  const now = deps.now();
  const consumed = await deps.store.consumeRefreshToken(hashRefreshToken(refreshToken), now);
  if (consumed) await deps.store.revokeRefreshFamily(consumed.token.familyId, now);
}

/**
 * Current password + new one; every refresh token of the user is revoked (other logins end at
 * their access token's expiry). The configured admin's password belongs to ADMIN_PASSWORD.
 */
export async function changePassword(
  deps: Pick<AuthDeps, 'store' | 'now'> & { adminEmail: string },
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await deps.store.findUserById(userId);
  if (!user) throw new NotFoundError('user-not-found', 'the account behind this token no longer exists');
  if (user.email === deps.adminEmail.toLowerCase()) {
    throw new ConflictError(
      'password-set-by-config',
      'this admin account takes its password from ADMIN_PASSWORD at start; change it there',
    );
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ForbiddenError('wrong-password', 'the current password is wrong');
  }
  await deps.store.changePasswordHash(user.id, await hashPassword(input.newPassword), deps.now());
}

export type SeedOutcome = 'created' | 'password-updated' | 'unchanged';

/**
 * Creates the admin from config when missing. An existing admin whose password no longer matches
 * ADMIN_PASSWORD takes the new one (and its refresh tokens are revoked): the variable is the one
 * place that password is set.
 */
export async function seedAdmin(deps: Pick<AuthDeps, 'store' | 'now'>, admin: { email: string; password: string }): Promise<SeedOutcome> {
  const email = admin.email.toLowerCase();
  const existing = await deps.store.findUserByEmail(email);
  if (existing) {
    if (await verifyPassword(existing.passwordHash, admin.password)) return 'unchanged';
    await deps.store.changePasswordHash(existing.id, await hashPassword(admin.password), deps.now());
    return 'password-updated';
  }
  try {
    await deps.store.createUser({
      id: newId(),
      username: 'admin',
      email,
      passwordHash: await hashPassword(admin.password),
      role: 'admin',
      tier: 'BRONZE',
      createdAt: deps.now(),
    });
    return 'created';
  } catch (err) {
    if (err instanceof DuplicateKeyError) return 'unchanged'; // another replica seeded it first
    throw err;
  }
}

async function startSession(deps: AuthDeps, user: User, familyId: string): Promise<Session> {
  const now = deps.now();
  const refreshToken = newRefreshToken();
  await deps.store.insertRefreshToken({
    tokenHash: hashRefreshToken(refreshToken),
    userId: user.id,
    familyId,
    expiresAt: new Date(now.getTime() + deps.refreshTtlDays * DAY_MS),
    usedAt: null,
    revokedAt: null,
  });
  const accessToken = await deps.tokens.issue({ userId: user.id, role: user.role });
  return { accessToken, refreshToken, expiresIn: deps.tokens.ttlSec, user };
}
