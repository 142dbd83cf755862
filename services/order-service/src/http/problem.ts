import type { FastifyReply } from 'fastify';
import type { ProblemDetailItem } from '../app/errors';

/** RFC 9457 body; `code` is the stable machine-readable reason clients switch on. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ProblemDetailItem[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function sendProblem(reply: FastifyReply, p: Omit<Problem, 'type'>): FastifyReply {
  const body: Problem = { type: `urn:oms:problem:${p.code}`, ...p };
  if (p.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(body);
}
