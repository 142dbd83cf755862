import { json, startHarness } from './harness';

describe('health', () => {
  it('is live and ready when the store and the queue answer', async () => {
    const h = await startHarness({ deps: { queueReady: async () => {} } });
    try {
      expect(json(await h.call({ url: '/api/health' }))).toEqual({ status: 'ok' });
      const ready = await h.call({ url: '/api/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(json(ready)).toEqual({ status: 'ready', checks: { db: 'ok', queue: 'ok' } });
    } finally {
      await h.close();
    }
  });

  it('is not ready (503, ok/down per check, no error text) when the queue broker is unreachable', async () => {
    const h = await startHarness({
      deps: {
        queueReady: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:4566');
        },
      },
    });
    try {
      const ready = await h.call({ url: '/api/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(json(ready)).toEqual({ status: 'not-ready', checks: { db: 'ok', queue: 'down' } });
      expect(ready.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|4566/);
      expect((await h.call({ url: '/api/health' })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('is not ready when the database is closed', async () => {
    const h = await startHarness();
    await h.store.close();
    const ready = await h.call({ url: '/api/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(json(ready)).toEqual({ status: 'not-ready', checks: { db: 'down', queue: 'ok' } });
    await h.close();
  });

  it('echoes a sane x-request-id and replaces an insane one', async () => {
    const h = await startHarness();
    try {
      expect((await h.call({ url: '/api/health', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id']).toBe('abc-123');
      const replaced = (await h.call({ url: '/api/health', headers: { 'x-request-id': 'bad id <script>' } })).headers['x-request-id'];
      expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await h.close();
    }
  });
});
