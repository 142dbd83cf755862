import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { LOCAL_SQS_ENDPOINT } from '@oms/platform';
import { ConfigSchema } from '../src/config';

const SERVICE_DIR = path.resolve(__dirname, '..');

describe('processing-service config', () => {
  it('outside production points at the embedded SQS and mail catcher when nothing is set', () => {
    const cfg = ConfigSchema.parse({});
    expect(cfg).toMatchObject({ SQS_ENDPOINT: LOCAL_SQS_ENDPOINT, SMTP_HOST: '127.0.0.1', SMTP_PORT: 1025 });
    expect(ConfigSchema.parse({ SQS_ENDPOINT: 'http://sqs.test:9324', SMTP_HOST: 'mail.test' })).toMatchObject({
      SQS_ENDPOINT: 'http://sqs.test:9324',
      SMTP_HOST: 'mail.test',
    });
  });

  it('in production leaves SQS to AWS and requires SMTP_HOST', () => {
    const prod = ConfigSchema.parse({ NODE_ENV: 'production', SMTP_HOST: 'smtp.example.com' });
    expect(prod.SQS_ENDPOINT).toBeUndefined();
    const refused = ConfigSchema.safeParse({ NODE_ENV: 'production' });
    expect(refused.error?.issues[0]?.path).toEqual(['SMTP_HOST']);
  });

  it('a production start without SMTP_HOST stops at once with one line naming it', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0' };
    delete env.SMTP_HOST;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: SERVICE_DIR,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('config error: SMTP_HOST: must be set in production (the mail server to send confirmations through)');
  });
});
