import { SignJWT } from 'jose';
import { AccessTokens } from '../../../src/application/identity/access-tokens';

const settings = { secret: 'a-test-secret-of-at-least-32-characters!', issuer: 'oms', audience: 'oms-api', ttlSec: 900 };

describe('AccessTokens', () => {
  it('answers a token it verified before from memory, but never past its exp', async () => {
    let now = new Date('2026-11-22T10:00:00Z');
    const tokens = new AccessTokens({ ...settings, now: () => now });
    const token = await tokens.issue({ userId: 'u-1', role: 'customer' });
    await expect(tokens.verify(token)).resolves.toEqual({ userId: 'u-1', role: 'customer' });
    await expect(tokens.verify(token)).resolves.toEqual({ userId: 'u-1', role: 'customer' });
    now = new Date(now.getTime() + 900_000); // exp reached
    await expect(tokens.verify(token)).rejects.toMatchObject({ status: 401 });
  });

  it('verifies a token in full when only its signature differs from one it knows', async () => {
    const tokens = new AccessTokens(settings);
    const token = await tokens.issue({ userId: 'u-1', role: 'customer' });
    await tokens.verify(token);
    const [header, payload] = token.split('.');
    await expect(tokens.verify(`${header}.${payload}.${'A'.repeat(43)}`)).rejects.toMatchObject({ status: 401 });
    // Same claims signed with another secret: a different string, so no shortcut either.
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer('oms')
      .setAudience('oms-api')
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-characters'));
    await expect(tokens.verify(forged)).rejects.toMatchObject({ status: 401 });
  });
});
