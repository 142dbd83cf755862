import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { CacheStats, ReadCache } from '../../application/catalog/read-cache';

declare module 'fastify' {
  interface FastifyInstance {
    /** Read-cache figures since start (hit ratio = hits / (hits + misses)), e.g. for admin stats. */
    cacheStats(): CacheStats;
  }
}

const cacheStats: FastifyPluginAsync<{ cache: ReadCache }> = async (app, { cache }) => {
  app.decorate('cacheStats', () => cache.stats());
};

export default fp(cacheStats, { name: 'cache-stats' });
