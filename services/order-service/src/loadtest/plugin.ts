import type { FastifyPluginAsync } from 'fastify';
import type { NewOutboxMessage } from '@oms/outbox';
import type { RouteContext } from '../http/context';
import adminLoadRunRoutes from './http/admin-load-runs';
import benchNaiveOrderRoutes from './http/bench-naive-orders';
import type { LoadRuns } from './load-runs';

export interface LoadTestApiOptions {
  ctx: RouteContext;
  /** Mounts /api/admin/load-runs (LOAD_TEST_ENDPOINTS). */
  loadRuns: LoadRuns | null;
  /** Mounts the /api/bench/orders-naive baseline (BENCH_NAIVE_PUBLISH with a queue to send to). */
  publishInline: ((message: NewOutboxMessage) => Promise<void>) | null;
}

/**
 * The load-test HTTP surface, kept out of the production API: the composition root registers it
 * after the API (its routes still get the root's authentication, rate limits and API docs hooks).
 */
const loadTestApi: FastifyPluginAsync<LoadTestApiOptions> = async (app, { ctx, loadRuns, publishInline }) => {
  if (loadRuns) await app.register(adminLoadRunRoutes, { ...ctx, loadRuns, prefix: '/api/admin/load-runs' });
  if (publishInline) await app.register(benchNaiveOrderRoutes, { ...ctx, publishInline, prefix: '/api/bench/orders-naive' });
};

export default loadTestApi;
