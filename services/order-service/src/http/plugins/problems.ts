import type { FastifyError, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { fastifyClientProblem, sendInternalError, sendProblem, sendRouteNotFound } from '@oms/platform/http';
import { AppError } from '../../application/shared/errors';

/** The one place errors become RFC 9457 application/problem+json; clients never see a stack. */
const problems: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      return sendProblem(reply, { status: err.status, title: err.title, code: err.code, detail: err.message, errors: err.errors });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const errors = err.validation.map((v) => ({
        path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, {
        status: 400,
        title: 'Bad Request',
        code: 'validation-failed',
        detail: `invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        errors,
      });
    }
    const client = isResponseSerializationError(err) ? null : fastifyClientProblem(err);
    return client ? sendProblem(reply, client) : sendInternalError(request, reply, err);
  });

  app.setNotFoundHandler(sendRouteNotFound);
};

export default fp(problems, { name: 'problems' });
