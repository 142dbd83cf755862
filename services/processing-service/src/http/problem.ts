import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { fastifyClientProblem, sendInternalError, sendProblem, sendRouteNotFound } from '@oms/platform/http';

/** RFC 9457 answers for every error and unknown route, in the order service's format; no stack traces leave the process. */
export const problemPlugin = fp(async (app) => {
  app.setNotFoundHandler(sendRouteNotFound);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const client = fastifyClientProblem(err);
    return client ? sendProblem(reply, client) : sendInternalError(request, reply, err);
  });
});
