import { jwtVerify, SignJWT } from 'jose';
import { Role } from '@oms/contracts';
import { UnauthorizedError } from './errors';

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

/** Short-lived HS256 access JWTs: iss/aud/exp always checked, only HS256 accepted (no alg=none). */
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly now: () => Date;

  constructor(private readonly settings: AccessTokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
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
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'exp'],
        currentDate: this.now(),
      });
      const role = Role.safeParse(payload.role);
      if (!payload.sub || !role.success) throw new Error('claims');
      return { userId: payload.sub, role: role.data };
    } catch {
      throw new UnauthorizedError('invalid-token', 'access token is missing, invalid or expired');
    }
  }
}
