// The live order stream: one EventSource. The browser reconnects it by itself after a network
// blip; once the server has closed it for good (e.g. the token expired) it is reopened here.
import { $ } from './dom.js';
import { currentSession, refreshTokens } from './session.js';
/** @import { Order } from './types.js' */

/**
 * @typedef {object} StreamHandlers
 * @property {(order: Order) => void} created
 * @property {(order: Order) => void} statusChanged
 * @property {(id: string) => void} deleted
 * @property {() => void} resync the page may have missed events: reload what it shows
 */

/** @type {EventSource | null} */
let stream = null;
let retries = 0;

/**
 * The connection badge in the header.
 * @param {'off' | 'wait' | 'live'} state
 * @param {string} text
 */
export function setConn(state, text) {
  const node = $('#conn');
  node.dataset.state = state;
  node.textContent = text;
}

/**
 * @param {StreamHandlers} on
 * @param {boolean} resync whether this replaces a lost connection
 */
export function openStream(on, resync) {
  stream?.close();
  const token = currentSession()?.accessToken ?? '';
  const es = new EventSource(`/api/orders/stream?access_token=${encodeURIComponent(token)}`);
  stream = es;
  setConn('wait', 'Connecting…');
  /** @param {Event} ev */
  const data = (ev) => JSON.parse(/** @type {MessageEvent<string>} */ (ev).data);
  es.addEventListener('order.created', (ev) => on.created(data(ev)));
  es.addEventListener('order.status-changed', (ev) => on.statusChanged(data(ev)));
  es.addEventListener('order.deleted', (ev) => on.deleted(data(ev).id));
  // The server could not replay what this page missed (restart, or a gap longer than its buffer).
  es.addEventListener('reload', () => on.resync());
  es.onopen = () => {
    retries = 0;
    setConn('live', 'Live');
    // A new connection cannot resume by Last-Event-ID, so reload what may have been missed.
    if (resync) {
      resync = false;
      on.resync();
    }
  };
  es.onerror = () => reconnect(es, on);
}

/**
 * @param {EventSource} es
 * @param {StreamHandlers} on
 */
function reconnect(es, on) {
  if (es !== stream) return;
  if (es.readyState === EventSource.CONNECTING) return setConn('wait', 'Reconnecting…');
  // Closed for good: reconnect with a fresh token, backing off.
  setConn('off', 'Offline — retrying');
  const delay = Math.min(30_000, 1000 * 2 ** retries++);
  setTimeout(async () => {
    const session = currentSession();
    if (es !== stream || !session) return;
    if (session.expiresAt - Date.now() < 30_000) await refreshTokens().catch(() => {});
    if (currentSession() && es === stream) openStream(on, true);
  }, delay);
}

export function closeStream() {
  stream?.close();
  stream = null;
}
