import type { FastifyError, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../../app/errors';
import { sendProblem } from '../problem';

/** Fastify's own 4xx errors (body parsing, content type) mapped to stable problem codes. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; title: string; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, title: 'Content Too Large', code: 'body-too-large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type', code: 'unsupported-media-type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, title: 'Bad Request', code: 'malformed-json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, title: 'Bad Request', code: 'malformed-json' },
};

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
    const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (known) return sendProblem(reply, { ...known, detail: err.message });
    if (!isResponseSerializationError(err) && err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(reply, { status: err.statusCode, title: 'Bad Request', code: 'bad-request', detail: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, {
      status: 500,
      title: 'Internal Server Error',
      code: 'internal-error',
      detail: `unexpected error; quote request id ${request.id} when reporting it`,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      status: 404,
      title: 'Not Found',
      code: 'route-not-found',
      detail: `no route for ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
};

export default fp(problems, { name: 'problems' });
