import { Sha256 } from '../src/sqs/sigv4-hash';
import { createSqsClient } from '../src/sqs';

describe('createSqsClient', () => {
  it.each([
    ['AWS', { AWS_REGION: 'eu-west-1' }],
    ['a local endpoint', { AWS_REGION: 'us-east-1', SQS_ENDPOINT: 'http://127.0.0.1:4566' }],
  ])('for %s caches its middleware and leaves out the SDK logger middleware', async (_, cfg) => {
    const sqs = createSqsClient(cfg);
    expect(sqs.config.cacheMiddleware).toBe(true);
    // SigV4 hashes with KeyObject HMAC keys (Node 24: a Buffer key costs ~5x the CPU).
    expect(sqs.config.sha256).toBe(Sha256);
    const middleware = sqs.middlewareStack.identify();
    // Guards against a rename in the SDK silently bringing the per-call log filtering back.
    expect(middleware.some((name) => name.startsWith('loggerMiddleware'))).toBe(false);
    expect(middleware.some((name) => name.startsWith('retryMiddleware'))).toBe(true);
    expect(await sqs.config.region()).toBe(cfg.AWS_REGION);
    sqs.destroy();
  });
});
