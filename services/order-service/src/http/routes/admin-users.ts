import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Tier, UserDto } from '@oms/contracts';
import { z } from 'zod';
import { setUserTier } from '../../application/identity/users';
import type { RouteContext } from '../context';
import { toUserDto } from '../presenters';
import { BEARER, IdParams } from '../schemas';

const TierBody = z.object({ tier: Tier.meta({ example: 'DIAMOND' }) });

/** Customer administration; admin role only. */
const adminUserRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { store }) => {
  app.addHook('onRequest', app.requireAdmin);

  app.patch(
    '/:id',
    {
      schema: {
        summary: "Set a customer's tier (DIAMOND orders ride the priority queue from the next order on)",
        operationId: 'setUserTier',
        tags: ['admin'],
        security: BEARER,
        params: IdParams,
        body: TierBody,
        response: { 200: UserDto },
      },
    },
    async (request) => toUserDto(await setUserTier(store, request.params.id, request.body.tier)),
  );
};

export default adminUserRoutes;
