import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessTokens, Principal } from '../../application/identity/access-tokens';
import { ForbiddenError, UnauthorizedError } from '../../application/shared/errors';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * onRequest hook: requires a valid Bearer access token and sets request.principal. onRequest,
     * not preHandler: a stranger is turned away before their body is parsed and validated.
     */
    authenticate(request: FastifyRequest): Promise<void>;
    /** onRequest hook: authenticate, then require the admin role (403 otherwise). */
    requireAdmin(request: FastifyRequest): Promise<void>;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export const bearerToken = (authorization: string | undefined): string | undefined => BEARER.exec(authorization ?? '')?.[1];

/** The principal of an authenticated request; only valid behind app.authenticate. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError('missing-token', 'a Bearer access token is required');
  return request.principal;
}

const authentication: FastifyPluginAsync<{ tokens: AccessTokens }> = async (app, { tokens }) => {
  app.decorateRequest('principal', null);

  const authenticate = async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedError('missing-token', 'a Bearer access token is required');
    request.principal = await tokens.verify(token);
  };

  app.decorate('authenticate', authenticate);
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    await authenticate(request);
    if (principalOf(request).role !== 'admin') throw new ForbiddenError('admin-only', 'this needs the admin role');
  });
};

export default fp(authentication, { name: 'authentication' });
