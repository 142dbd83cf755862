import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { configWarnings, DEV_JWT_SECRET, OrderServiceEnv } from '../src/config';

const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('order-service config', () => {
  it('has working development defaults and says which ones are unsafe', () => {
    const cfg = OrderServiceEnv.parse({});
    expect(cfg).toMatchObject({
      PORT: 8000,
      HOST: '0.0.0.0',
      SQLITE_PATH: path.join(REPO_ROOT, 'var/order-service.sqlite'),
      ACCESS_TOKEN_TTL_SEC: 900,
      REFRESH_TOKEN_TTL_DAYS: 7,
      TAX_RATE_BPS: 1800,
      OUTBOX_CRON: '* * * * * *',
      RATE_LIMIT_ORDERS_PER_MIN: 5,
      RATE_LIMIT_READS_PER_MIN: 30,
      RATE_LIMIT_LOGIN_PER_MIN: 10,
      CORS_ORIGINS: [],
      COOKIE_SECURE: false,
      OUTBOX_RETENTION_HOURS: 72,
    });
    expect(configWarnings(cfg)).toEqual([expect.stringContaining('JWT_SECRET'), expect.stringContaining('Admin@123')]);
  });

  it('refuses the development JWT secret in production and defaults cookies to Secure there', () => {
    const refused = OrderServiceEnv.safeParse({ NODE_ENV: 'production' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['JWT_SECRET']);
    const ok = OrderServiceEnv.parse({
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('base64'),
      ADMIN_PASSWORD: 'a long admin passphrase',
    });
    expect(ok.COOKIE_SECURE).toBe(true);
    // Production talks to AWS SQS unless told otherwise; development to the embedded one.
    expect(ok.SQS_ENDPOINT).toBeUndefined();
    expect(OrderServiceEnv.parse({}).SQS_ENDPOINT).toBe('http://127.0.0.1:4566');
    expect(ok.JWT_SECRET).not.toBe(DEV_JWT_SECRET);
  });

  it('parses numbers, lists and flags from strings, and 0 turns a rate limit off', () => {
    const cfg = OrderServiceEnv.parse({
      PORT: '9000',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
      CORS_ORIGINS: 'http://a.test, http://b.test',
      COOKIE_SECURE: 'true',
      OUTBOX_RETENTION_HOURS: '0.5',
    });
    expect(cfg).toMatchObject({
      PORT: 9000,
      RATE_LIMIT_ORDERS_PER_MIN: 0,
      CORS_ORIGINS: ['http://a.test', 'http://b.test'],
      COOKIE_SECURE: true,
      OUTBOX_RETENTION_HOURS: 0.5,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['TAX_RATE_BPS', '-1'],
    ['OUTBOX_CRON', 'every second'],
    ['JWT_SECRET', 'short'],
    ['RATE_LIMIT_READS_PER_MIN', '1.5'],
    ['ADMIN_EMAIL', 'nope'],
    ['OUTBOX_RETENTION_HOURS', '0'],
  ])('rejects a bad %s, naming it', (name, value) => {
    const result = OrderServiceEnv.safeParse({ [name]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([name]);
  });

  describe('production refusals', () => {
    const strong = { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('base64'), ADMIN_PASSWORD: 'a long admin passphrase' };
    const refusal = (env: Record<string, string>) => {
      const result = OrderServiceEnv.safeParse({ ...strong, ...env });
      return result.success ? null : [...new Set(result.error.issues.map((i) => i.path.join('.')))];
    };

    it('accepts a random secret and an own admin password', () => {
      expect(refusal({})).toBeNull();
      expect(refusal({ JWT_SECRET: randomBytes(24).toString('hex') })).toBeNull();
    });

    it.each([
      ['the compose file default', 'compose-dev-only-jwt-secret-change-me-please-0123456789'],
      ['the code default', DEV_JWT_SECRET],
      ['32 a', 'a'.repeat(32)],
      ['a two-letter pattern', 'ab'.repeat(20)],
      ['a short one', 'Zx9!'.repeat(7)],
    ])('refuses JWT_SECRET = %s', (_what, secret) => {
      expect(refusal({ JWT_SECRET: secret })).toEqual(['JWT_SECRET']);
    });

    it('refuses a missing JWT_SECRET or ADMIN_PASSWORD, and the default admin password', () => {
      const { JWT_SECRET: _s, ...noSecret } = strong;
      expect(OrderServiceEnv.safeParse(noSecret).error?.issues.map((i) => i.path.join('.'))).toEqual(['JWT_SECRET']);
      const { ADMIN_PASSWORD: _p, ...noPassword } = strong;
      expect(OrderServiceEnv.safeParse(noPassword).error?.issues.map((i) => i.path.join('.'))).toEqual(['ADMIN_PASSWORD']);
      expect(refusal({ ADMIN_PASSWORD: 'Admin@123' })).toEqual(['ADMIN_PASSWORD']);
    });

    it('refuses every JWT_SECRET / ADMIN_PASSWORD value written in the repository (compose, docs, examples)', () => {
      const files = [
        'docker-compose.yml',
        'README.md',
        'services/order-service/README.md',
        ...fs
          .readdirSync(path.join(REPO_ROOT, 'docs'))
          .filter((f) => f.endsWith('.md'))
          .map((f) => `docs/${f}`),
      ];
      const found: [string, string][] = [];
      for (const file of files) {
        const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
        // `NAME=value`, `NAME: value` and compose's `${NAME:-value}` fallbacks.
        for (const m of text.matchAll(/(JWT_SECRET|ADMIN_PASSWORD)(?::-|[=:] ?)([^\s`'"}$|?]{4,})/g)) found.push([m[1]!, m[2]!]);
      }
      for (const [name, value] of found) expect([name, value, refusal({ [name]: value })]).toEqual([name, value, [name]]);
    });

    it('takes compose secrets from the environment, with no fallback value', () => {
      const compose = fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
      expect(compose).toMatch(/JWT_SECRET: \$\{JWT_SECRET:\?/);
      expect(compose).toMatch(/ADMIN_PASSWORD: \$\{ADMIN_PASSWORD:\?/);
    });

    it('needs LOAD_TEST_ENDPOINTS=true for the naive-publish benchmark route, and keeps load runs off by default', () => {
      expect(refusal({ BENCH_NAIVE_PUBLISH: 'true' })).toEqual(['BENCH_NAIVE_PUBLISH']);
      expect(refusal({ BENCH_NAIVE_PUBLISH: 'true', LOAD_TEST_ENDPOINTS: 'true' })).toBeNull();
      expect(OrderServiceEnv.parse(strong).LOAD_TEST_ENDPOINTS).toBe(false);
      expect(OrderServiceEnv.parse({}).LOAD_TEST_ENDPOINTS).toBe(true);
    });
  });

  it('refuses CORS_ORIGINS=* (credentialed CORS for every site)', () => {
    expect(OrderServiceEnv.safeParse({ CORS_ORIGINS: '*' }).error?.issues[0]?.path).toEqual(['CORS_ORIGINS']);
    expect(OrderServiceEnv.safeParse({ CORS_ORIGINS: 'https://shop.example, *' }).error?.issues[0]?.path).toEqual(['CORS_ORIGINS']);
  });

  it('reads TRUST_PROXY as a hop count or a list of addresses / CIDRs, and refuses anything else', () => {
    expect(OrderServiceEnv.parse({}).TRUST_PROXY).toBe(false);
    expect(OrderServiceEnv.parse({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(OrderServiceEnv.parse({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1, loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'loopback',
    ]);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example', '1.2.3.4/8/1']) {
      expect([bad, OrderServiceEnv.safeParse({ TRUST_PROXY: bad }).error?.issues[0]?.path]).toEqual([bad, ['TRUST_PROXY']]);
    }
  });

  it('runs SQLite with synchronous=FULL unless SQLITE_SYNCHRONOUS=NORMAL', () => {
    expect(OrderServiceEnv.parse({}).SQLITE_SYNCHRONOUS).toBe('FULL');
    expect(OrderServiceEnv.parse({ SQLITE_SYNCHRONOUS: 'NORMAL' }).SQLITE_SYNCHRONOUS).toBe('NORMAL');
    expect(OrderServiceEnv.safeParse({ SQLITE_SYNCHRONOUS: 'OFF' }).success).toBe(false);
  });
});
