import type { FastifyPluginAsync } from 'fastify';
import helmet from 'helmet';
import fp from 'fastify-plugin';

/**
 * Helmet's headers on every response. The CSP fits the /admin dashboard, which loads only its own
 * script and style files and talks only to this origin (no inline code). /docs sets its own,
 * looser one (see api-docs). upgrade-insecure-requests only in production: in development the
 * service is plain http and the browser would upgrade the dashboard's own assets to https.
 * helmet itself, built once: @fastify/helmet rebuilt it (re-parsing the CSP) on every request.
 */
const securityHeaders: FastifyPluginAsync<{ production: boolean }> = async (app, { production }) => {
  const setHeaders = helmet({
    frameguard: { action: 'deny' }, // as frame-ancestors 'none', for browsers without CSP
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': production ? [] : null,
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
};

export default fp(securityHeaders, { name: 'security-headers' });
