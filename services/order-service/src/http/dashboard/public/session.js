// The admin's tokens: kept in sessionStorage so a reloaded tab stays logged in, and renewed
// shortly before the access token expires.
import { errorText } from './format.js';
/** @import { Problem, Tokens, User } from './types.js' */

/** @typedef {{ accessToken: string, refreshToken: string, expiresAt: number, user?: User }} Session */

const KEY = 'oms.admin.session';

/** @type {Session | null} */
let session = null;
/** @type {Promise<void> | null} */
let refreshing = null;
let refreshTimer = 0;
/** @type {(message: string) => void} */
let onLost = () => {};

export const currentSession = () => session;

/**
 * What to do when the tokens cannot be renewed (the page goes back to its log-in form).
 * @param {(message: string) => void} handler
 */
export function onSessionLost(handler) {
  onLost = handler;
}

/**
 * The problem's own words, else `fallback`.
 * @param {Partial<Problem> | null} body
 * @param {string} fallback
 */
export const problemText = (body, fallback) => body?.detail || body?.title || fallback;

/**
 * @param {string} path
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
const postJson = (path, body, headers = {}) =>
  fetch(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** @param {Omit<Tokens, 'user'> & { user?: User }} body */
function saveSession(body) {
  session = {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    expiresAt: Date.now() + body.expiresIn * 1000,
    user: body.user ?? session?.user,
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  clearTimeout(refreshTimer);
  // Refresh a minute (or a fifth of the lifetime, if shorter) before the access token expires.
  const lead = Math.min(60_000, body.expiresIn * 200);
  refreshTimer = setTimeout(() => refreshTokens().catch(() => {}), Math.max(1000, session.expiresAt - Date.now() - lead));
}

/** Renews the tokens; concurrent callers share one request. A refusal ends the session. */
export function refreshTokens() {
  refreshing ??= postJson('/api/auth/refresh', { refreshToken: session?.refreshToken })
    .then(async (res) => {
      if (!res.ok) throw new Error('Your session has expired; please log in again.');
      saveSession(await res.json());
    })
    .catch((err) => {
      onLost(errorText(err));
      throw err;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/**
 * Logs in; only an administrator's session is kept.
 * @param {string} email
 * @param {string} password
 */
export async function logIn(email, password) {
  const res = await postJson('/api/auth/login', { email, password });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(problemText(body, `Log-in failed (${res.status})`));
  /** @type {Tokens} */
  const tokens = body;
  if (tokens.user.role !== 'admin') throw new Error('This account is not an administrator.');
  saveSession(tokens);
}

/**
 * The session this tab kept, renewed first when close to expiry; null when there is none.
 * @returns {Promise<void> | null}
 */
export function resumeSession() {
  try {
    session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    session = null;
  }
  if (!session?.refreshToken) return null;
  if (session.expiresAt - Date.now() < 60_000) return refreshTokens();
  saveSession({ ...session, expiresIn: (session.expiresAt - Date.now()) / 1000 });
  return Promise.resolve();
}

/** Forgets the session here; returns it, so it can still be revoked on the server. */
export function endSession() {
  const ended = session;
  clearTimeout(refreshTimer);
  session = null;
  sessionStorage.removeItem(KEY);
  return ended;
}

/**
 * Revokes a session's refresh token on the server; best effort, the tab has forgotten it already.
 * @param {Session} ended
 */
export async function revokeSession(ended) {
  await postJson('/api/auth/logout', { refreshToken: ended.refreshToken }, { authorization: `Bearer ${ended.accessToken}` }).catch(
    () => {},
  );
}
