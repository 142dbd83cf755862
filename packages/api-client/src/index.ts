import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './openapi';

export type { components, operations, paths } from './openapi';

/** The order service's HTTP API, typed by its committed OpenAPI types: a path, body or answer that drifts fails the typecheck. */
export type OmsApi = Client<paths>;

export function omsApi(baseUrl: string): OmsApi {
  return createClient<paths>({ baseUrl });
}

/** What every call answers: parsed JSON as `data` (2xx) or `error`, and the raw response. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)?.slice(0, 300)}`);
  }
}

/** The answer's data, or an HttpError naming the call when it is not a success. */
export function dataOf<T>(answer: Answer<T>, what: string): T {
  if (!answer.response.ok) throw new HttpError(answer.response.status, answer.error, what);
  return answer.data as T;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
