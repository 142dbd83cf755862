import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * RFC 9457 answers shared by both services' HTTP servers, so a client sees one error format
 * whichever service it talks to. `code` is the stable machine-readable reason clients switch on.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string; [extra: string]: unknown }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function sendProblem(reply: FastifyReply, p: Omit<Problem, 'type'>): FastifyReply {
  const body: Problem = { type: `urn:oms:problem:${p.code}`, ...p };
  if (p.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Unknown route. */
export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, {
    status: 404,
    title: 'Not Found',
    code: 'route-not-found',
    detail: `no route for ${request.method} ${request.url.split('?')[0]}`,
  });
}

/** Fastify's own 4xx errors (body parsing, content type) mapped to stable problem codes. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; title: string; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, title: 'Content Too Large', code: 'body-too-large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type', code: 'unsupported-media-type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, title: 'Bad Request', code: 'malformed-json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, title: 'Bad Request', code: 'malformed-json' },
};

/** A fastify client error (4xx) as a problem, or null for anything that is our fault. */
export function fastifyClientProblem(err: FastifyError): Omit<Problem, 'type'> | null {
  const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
  if (known) return { ...known, detail: err.message };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, title: 'Bad Request', code: 'bad-request', detail: err.message };
  }
  return null;
}

/** The 500 answer: no stack, the request id to quote. */
export function sendInternalError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  request.log.error({ err }, 'unhandled error');
  return sendProblem(reply, {
    status: 500,
    title: 'Internal Server Error',
    code: 'internal-error',
    detail: `unexpected error; quote request id ${request.id} when reporting it`,
  });
}

/**
 * Fastify's `frameworkErrors` option: router-level refusals raised before any route or error
 * handler runs (a malformed percent-encoding such as %FF, or a path parameter over 100 chars).
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  sendProblem(reply, {
    status: tooLong ? 414 : 400,
    title: tooLong ? 'URI Too Long' : 'Bad Request',
    code: tooLong ? 'uri-too-long' : 'bad-url',
    detail: tooLong ? 'a path parameter is too long' : 'the URL is not validly percent-encoded',
  });
}

const CLIENT_ERRORS: Record<string, Omit<Problem, 'type'>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    title: 'Request Header Fields Too Large',
    code: 'headers-too-large',
    detail: 'request headers exceed 16 KiB',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request Timeout',
    code: 'request-timeout',
    detail: 'the request was not received in time',
  },
};
const MALFORMED: Omit<Problem, 'type'> = {
  status: 400,
  title: 'Bad Request',
  code: 'malformed-request',
  detail: 'the HTTP request could not be parsed',
};

/**
 * Fastify's `clientErrorHandler` option: Node's HTTP parser refused the request (header overflow,
 * bad method, broken framing), so no fastify request exists; answered on the raw socket.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const p = (err.code && CLIENT_ERRORS[err.code]) || MALFORMED;
  const body = JSON.stringify({ type: `urn:oms:problem:${p.code}`, ...p });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${p.status} ${p.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
