import { ADMIN, PRODUCTION_SECRET, startHarness, type Harness } from './harness';

const harnesses: Harness[] = [];
async function harness(env: Record<string, string> = {}) {
  const h = await startHarness({ env });
  harnesses.push(h);
  return h;
}
afterAll(() => Promise.all(harnesses.map((h) => h.close())));

const directives = (csp: string | undefined) =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v]),
  );

describe('security headers (helmet)', () => {
  it('sends helmet headers and a strict same-origin CSP on API answers, problems and the dashboard', async () => {
    const h = await harness();
    for (const url of ['/api/health', '/api/products/nope', '/admin']) {
      const res = await h.call({ url });
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'strict-transport-security': expect.stringMatching(/max-age=\d+/),
      });
      expect(res.headers).not.toHaveProperty('x-powered-by');
      const csp = directives(res.headers['content-security-policy']);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      // Plain http in development: upgrading would break the dashboard's own assets.
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
    }
  });

  it('asks browsers to upgrade to https in production', async () => {
    const h = await harness({ NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET });
    expect(directives((await h.call({ url: '/api/health' })).headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(
      true,
    );
  });
});

describe('CORS allowlist (CORS_ORIGINS)', () => {
  const preflight = (h: Harness, origin: string) =>
    h.call({
      method: 'OPTIONS',
      url: '/api/orders',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it('allows listed origins with credentials and exposes the rate-limit headers; others get no CORS grant', async () => {
    const h = await harness({ CORS_ORIGINS: 'http://shop.test,http://admin.test' });
    const ok = await preflight(h, 'http://shop.test');
    expect(ok.statusCode).toBe(204);
    expect(ok.headers).toMatchObject({ 'access-control-allow-origin': 'http://shop.test', 'access-control-allow-credentials': 'true' });
    expect(ok.headers['access-control-allow-methods']).toContain('POST');

    const simple = await h.call({ url: '/api/health', headers: { origin: 'http://admin.test' } });
    expect(simple.headers['access-control-allow-origin']).toBe('http://admin.test');
    expect(simple.headers['access-control-expose-headers']).toContain('retry-after');

    const evil = await preflight(h, 'http://evil.test');
    expect(evil.headers).not.toHaveProperty('access-control-allow-origin');
    expect((await h.call({ url: '/api/health', headers: { origin: 'http://evil.test' } })).headers).not.toHaveProperty(
      'access-control-allow-origin',
    );
  });

  it('grants no origin when CORS_ORIGINS is empty (the default)', async () => {
    const h = await harness();
    const res = await preflight(h, 'http://shop.test');
    expect(res.headers).not.toHaveProperty('access-control-allow-origin');
  });
});

describe('refresh cookie flags', () => {
  const loginCookie = async (h: Harness) => {
    const res = await h.call({ method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email, password: ADMIN.password } });
    expect(res.statusCode).toBe(200);
    const cookie = res.setCookies.find((c) => c.startsWith('oms_refresh='));
    expect(cookie).toBeDefined();
    return cookie!;
  };

  it('is httpOnly and SameSite=Strict, scoped to /api/auth, and not Secure in development (plain http)', async () => {
    const cookie = await loginCookie(await harness());
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\/api\/auth/);
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it('is Secure in production', async () => {
    const cookie = await loginCookie(await harness({ NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET }));
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
  });
});
