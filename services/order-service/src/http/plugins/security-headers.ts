import helmet from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Helmet's headers on every response. The CSP fits the /admin dashboard, which loads only its own
 * script and style files and talks only to this origin (no inline code). /docs sets its own,
 * looser one (see api-docs). upgrade-insecure-requests only in production: in development the
 * service is plain http and the browser would upgrade the dashboard's own assets to https.
 */
const securityHeaders: FastifyPluginAsync<{ production: boolean }> = async (app, { production }) => {
  await app.register(helmet, {
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
};

export default fp(securityHeaders, { name: 'security-headers' });
