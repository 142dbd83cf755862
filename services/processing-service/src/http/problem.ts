import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply } from 'fastify';

const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error' };

function problem(reply: FastifyReply, status: number, code: string, detail: string) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, code });
}

/** RFC 9457 answers for every error and unknown route; no stack traces leave the process. */
export const problemPlugin = fp(async (app) => {
  app.setNotFoundHandler((req, reply) => problem(reply, 404, 'NOT_FOUND', `No route ${req.method} ${req.url}`));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'request failed');
    return problem(reply, status, err.code ?? 'INTERNAL', status === 500 ? 'Unexpected error' : err.message);
  });
});
