import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, sendProblem, type Problem } from './problem';

/**
 * Errors raised before any route or error handler runs, answered as RFC 9457 problems like every
 * other refusal (fastify's defaults are ad-hoc JSON). Found by the hostile-input suite.
 */

/** Router-level refusals: a malformed percent-encoding (%FF, %zz) or a path parameter over 100 chars. */
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
  HPE_HEADER_OVERFLOW: { status: 431, title: 'Request Header Fields Too Large', code: 'headers-too-large', detail: 'request headers exceed 16 KiB' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout', code: 'request-timeout', detail: 'the request was not received in time' },
};
const MALFORMED: Omit<Problem, 'type'> = { status: 400, title: 'Bad Request', code: 'malformed-request', detail: 'the HTTP request could not be parsed' };

/** Node's HTTP parser refused the request (header overflow, bad method, broken framing): no fastify request exists. */
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
