import { createSecretKey, type KeyObject } from 'node:crypto';
import { TTLCache } from '@isaacs/ttlcache';
import { jwtVerify, SignJWT } from 'jose';
import { Role } from '@oms/contracts';
import { UnauthorizedError } from '../shared/errors';

export interface Principal {
  userId: string;
  role: Role;
}

export interface AccessTokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSec: number;
  now?: () => Date;
}

const ALGORITHM = 'HS256';
/** User ids are UUIDs; a little room for other id schemes. */
const SUBJECT = /^[\w-]{1,64}$/;
/** Tokens verified lately; a shopper sends the same one with every request until it expires. */
const VERIFIED_CACHE_SIZE = 10_000;
const VERIFIED_CACHE_TTL_MS = 60_000;

/**
 * Short-lived HS256 access JWTs: iss/aud/exp always checked, only HS256 accepted (no alg=none).
 * A token that verified is remembered (by its exact text) until its exp, at most a minute: only a
 * token that passed every check gets in, so a forged one is always verified in full.
 */
export class AccessTokens {
  private readonly key: KeyObject;
  private readonly now: () => Date;
  private readonly verified = new TTLCache<string, { principal: Principal; expMs: number }>({
    max: VERIFIED_CACHE_SIZE,
    ttl: VERIFIED_CACHE_TTL_MS,
  });

  constructor(private readonly settings: AccessTokenSettings) {
    this.key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
    this.now = settings.now ?? (() => new Date());
  }

  get ttlSec(): number {
    return this.settings.ttlSec;
  }

  issue(principal: Principal): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ role: principal.role })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(principal.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.settings.ttlSec)
      .sign(this.key);
  }

  async verify(token: string): Promise<Principal> {
    const now = this.now();
    const seen = this.verified.get(token);
    if (seen && seen.expMs > now.getTime()) return seen.principal;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'exp'],
        currentDate: now,
      });
      const role = Role.safeParse(payload.role);
      // jose checks sub's presence, not its type: a token signed with our key (a leaked dev
      // secret) must still not smuggle an object or array into the store's queries.
      if (typeof payload.sub !== 'string' || !SUBJECT.test(payload.sub) || !role.success) throw new Error('claims');
      const principal = { userId: payload.sub, role: role.data };
      this.verified.set(token, { principal, expMs: payload.exp! * 1000 });
      return principal;
    } catch {
      throw new UnauthorizedError('invalid-token', 'access token is missing, invalid or expired');
    }
  }
}
