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
    const ok = OrderServiceEnv.parse({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
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
});
