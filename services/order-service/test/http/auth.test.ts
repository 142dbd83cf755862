import { SignJWT } from 'jose';
import { adminLogin, bearer, expectProblem, json, registerAndLogin, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const refreshWith = (body: object | undefined, cookie?: string) =>
  h.call({ method: 'POST', url: '/api/auth/refresh', payload: body, headers: cookie ? { cookie } : {} });

describe('register and login', () => {
  it('registers a shopper and never returns the password hash', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/api/auth/register',
      payload: { username: 'alice', email: 'Alice@Example.test', password: 'correct horse battery' },
    });
    expect(res.statusCode).toBe(201);
    const { user } = json(res);
    expect(user).toEqual({ id: expect.any(String), username: 'alice', email: 'alice@example.test', role: 'customer', tier: 'BRONZE' });
    expect(res.body).not.toMatch(/argon2|password/i);
  });

  it('refuses a taken email with 409', async () => {
    const payload = { username: 'bob', email: 'bob@example.test', password: 'correct horse battery' };
    expect((await h.call({ method: 'POST', url: '/api/auth/register', payload })).statusCode).toBe(201);
    expectProblem(
      await h.call({ method: 'POST', url: '/api/auth/register', payload: { ...payload, email: 'BOB@example.test' } }),
      409,
      'email-taken',
    );
  });

  it('validates registration fields with per-field errors', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/api/auth/register',
      payload: { username: 'x', email: 'not-an-email', password: 'short' },
    });
    const body = expectProblem(res, 400, 'validation-failed');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.email', 'body.password', 'body.username']);
  });

  it('logs in with tokens in the body and the refresh token in a strict httpOnly cookie', async () => {
    const s = await registerAndLogin(h.call);
    const res = await h.call({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: s.password } });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    expect(body.user).toMatchObject({ email: s.email, role: 'customer' });
    const cookie = res.setCookies.join('\n');
    expect(cookie).toContain(`oms_refresh=${body.refreshToken}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth/);
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const s = await registerAndLogin(h.call);
    const wrong = await h.call({ method: 'POST', url: '/api/auth/login', payload: { email: s.email, password: 'wrong password' } });
    const unknown = await h.call({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ghost@example.test', password: 'wrong password' },
    });
    expectProblem(wrong, 401, 'invalid-credentials');
    expectProblem(unknown, 401, 'invalid-credentials');
    expect(unknown.body).toBe(wrong.body);
  });

  it('treats operator-looking values as bad input, not queries', async () => {
    const res = await h.call({ method: 'POST', url: '/api/auth/login', payload: { email: { $gt: '' }, password: { $gt: '' } } });
    expectProblem(res, 400, 'validation-failed');
  });
});

describe('refresh tokens', () => {
  it('rotates on each use; a reused token revokes the whole family', async () => {
    const s = await registerAndLogin(h.call);
    const first = await refreshWith({ refreshToken: s.refreshToken });
    expect(first.statusCode).toBe(200);
    const rotated = json(first).refreshToken as string;
    expect(rotated).not.toBe(s.refreshToken);
    // The new access token works.
    expect((await h.call({ url: '/api/orders', headers: bearer(json(first).accessToken) })).statusCode).toBe(200);

    expectProblem(await refreshWith({ refreshToken: s.refreshToken }), 401, 'refresh-token-reused');
    // The thief's replay killed the family: the legitimately rotated token is dead too.
    expectProblem(await refreshWith({ refreshToken: rotated }), 401, 'invalid-refresh-token');
  });

  it('accepts the refresh token from the cookie', async () => {
    const s = await registerAndLogin(h.call);
    const res = await refreshWith(undefined, `oms_refresh=${s.refreshToken}`);
    expect(res.statusCode).toBe(200);
    expect(json(res).user).toMatchObject({ id: s.userId });
  });

  it('rejects unknown or missing refresh tokens', async () => {
    expectProblem(await refreshWith({ refreshToken: 'not-a-token' }), 401, 'invalid-refresh-token');
    expectProblem(await refreshWith(undefined), 401, 'invalid-refresh-token');
    expectProblem(await refreshWith({ refreshToken: { $ne: null } }), 400, 'validation-failed');
  });

  it('logout revokes the family and clears the cookie', async () => {
    const s = await registerAndLogin(h.call);
    const rotated = json(await refreshWith({ refreshToken: s.refreshToken })).refreshToken as string;
    const res = await h.call({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: rotated } });
    expect(res.statusCode).toBe(204);
    expect(res.setCookies.join('\n')).toMatch(/oms_refresh=;.*Expires=Thu, 01 Jan 1970/);
    expectProblem(await refreshWith({ refreshToken: rotated }), 401, 'invalid-refresh-token');
    // Logging out twice, or with nothing, is harmless.
    expect((await h.call({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });
});

describe('access tokens', () => {
  const orders = (headers: Record<string, string>) => h.call({ url: '/api/orders', headers });
  const sign = (claims: { iss?: string; aud?: string; exp?: number; secret?: string; sub?: unknown }) => {
    const now = Math.floor(Date.now() / 1000);
    // sub may be a non-string on purpose (typed string by jose).
    return new SignJWT({ role: 'admin', sub: (claims.sub ?? 'someone') as string })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(claims.iss ?? h.config.JWT_ISSUER)
      .setAudience(claims.aud ?? h.config.JWT_AUDIENCE)
      .setIssuedAt(now - 3600)
      .setExpirationTime(claims.exp ?? now + 600)
      .sign(new TextEncoder().encode(claims.secret ?? h.config.JWT_SECRET));
  };

  it('requires a Bearer token', async () => {
    const res = await orders({});
    expectProblem(res, 401, 'missing-token');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expectProblem(await orders({ authorization: 'Basic dXNlcjpwYXNz' }), 401, 'missing-token');
  });

  it('accepts a well-formed token of ours (control for the cases below)', async () => {
    expect((await orders(bearer(await sign({})))).statusCode).toBe(200);
  });

  it('rejects forged, expired, foreign and unsigned tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = {
      forged: await sign({ secret: 'some-other-secret-that-is-long-enough-0000' }),
      expired: await sign({ exp: now - 60 }),
      wrongIssuer: await sign({ iss: 'evil' }),
      wrongAudience: await sign({ aud: 'evil' }),
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await orders(bearer(token));
      expect({ name, status: res.statusCode }).toEqual({ name, status: 401 });
    }
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'admin', iss: h.config.JWT_ISSUER, aud: h.config.JWT_AUDIENCE, exp: now + 600 })}.`;
    expectProblem(await orders(bearer(algNone)), 401, 'invalid-token');
    expectProblem(await orders(bearer('garbage')), 401, 'invalid-token');
  });

  it('rejects a token signed with our key whose subject is not a plain id (401, not a store error)', async () => {
    for (const sub of [{ $ne: null }, ['a'], true, 123, '', 'x'.repeat(200)]) {
      const res = await orders(bearer(await sign({ sub })));
      expect({ sub, status: res.statusCode }).toEqual({ sub, status: 401 });
      expectProblem(res, 401, 'invalid-token');
    }
  });

  it('keeps admin routes from shoppers (403) and strangers (401)', async () => {
    const s = await registerAndLogin(h.call);
    const payload = { sku: 'X1', name: 'X', priceCents: 1, currency: 'INR', stock: 1 };
    expectProblem(await h.call({ method: 'POST', url: '/api/admin/products', headers: bearer(s.token), payload }), 403, 'admin-only');
    expectProblem(
      await h.call({ method: 'PATCH', url: '/api/admin/products/x', headers: bearer(s.token), payload: { stock: 1 } }),
      403,
      'admin-only',
    );
    expectProblem(await h.call({ method: 'POST', url: '/api/admin/products', payload }), 401, 'missing-token');
    const admin = await adminLogin(h.call);
    expect((await h.call({ method: 'POST', url: '/api/admin/products', headers: bearer(admin.token), payload })).statusCode).toBe(201);
  });
});
