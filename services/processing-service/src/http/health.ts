import type { FastifyPluginAsync } from 'fastify';
import { PROBE_TIMEOUT_MS, withTimeout } from '@oms/platform';

/** A named dependency probe; throws when the dependency is not usable. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

async function runCheck(check: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(check(), PROBE_TIMEOUT_MS);
    return 'ok';
  } catch (err) {
    return `down: ${(err as Error).message}`;
  }
}

const healthSchema = {
  response: {
    200: { type: 'object', properties: { status: { type: 'string' } } },
  },
};

const readySchema = {
  response: {
    '2xx': {
      type: 'object',
      properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    503: {
      type: 'object',
      properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'string' } } },
    },
  },
};

export const healthRoutes: FastifyPluginAsync<{ checks: ReadinessChecks }> = async (app, { checks }) => {
  app.get('/processor/api/health', { schema: healthSchema }, async () => ({ status: 'ok' }));

  app.get('/processor/api/health/ready', { schema: readySchema }, async (_req, reply) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name]!)));
    const report = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    const ready = results.every((r) => r === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: report });
  });
};
