// The service's admin endpoints the page calls, each with the payload type it answers.
// A 401 renews the tokens once and retries; an error answer throws with the problem's detail.
import { currentSession, problemText, refreshTokens } from './session.js';
/** @import { Json, LoadRun, LoadRunRequest, OrderPage, QueuesReport, Stats } from './types.js' */

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [init]
 * @returns {Promise<any>} the JSON body, typed by the caller below
 */
async function call(path, { method = 'GET', body } = {}, retried = false) {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${currentSession()?.accessToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401 && !retried && currentSession()) {
    await refreshTokens();
    return call(path, { method, body }, true);
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error(problemText(data, `${method} ${path} answered ${res.status}`));
  return data;
}

/** @param {string} path */
const post = (path, body = {}) => call(path, { method: 'POST', body });

export const api = {
  /** @param {URLSearchParams} query @returns {Promise<OrderPage>} */
  orders: (query) => call(`/api/admin/orders?${query}`),
  /** @returns {Promise<QueuesReport>} */
  queues: () => call('/api/admin/queues'),
  /** @returns {Promise<Stats>} */
  stats: () => call('/api/admin/stats'),
  /** @returns {Promise<Json<'listOutbox'>>} */
  failedOutbox: () => call('/api/admin/outbox?status=failed'),
  /** @param {string} queue @returns {Promise<Json<'redriveQueue'>>} */
  redrive: (queue) => post(`/api/admin/queues/${encodeURIComponent(queue)}/redrive`),
  /** @returns {Promise<Json<'requeueOutbox'>>} */
  requeueOutbox: () => post('/api/admin/outbox/requeue'),
  /** @returns {Promise<LoadRun>} */
  currentRun: () => call('/api/admin/load-runs/current'),
  /** @returns {Promise<Json<'listLoadRuns'>>} */
  runHistory: () => call('/api/admin/load-runs/history?limit=5'),
  /** @param {LoadRunRequest} run @returns {Promise<LoadRun>} */
  startRun: (run) => post('/api/admin/load-runs', run),
  /** @returns {Promise<LoadRun>} */
  cancelRun: () => call('/api/admin/load-runs/current/cancel', { method: 'POST' }),
  /** @returns {Promise<Json<'resetLoadRuns'>>} */
  resetRuns: () => call('/api/admin/load-runs/reset', { method: 'POST' }),
};
