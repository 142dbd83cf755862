// The queues and outbox card (with the stats card, refreshed together): queue depths, DLQ
// redrive, failed outbox rows and their re-queue. Refreshed on stream activity, not polled.
import { api } from './api.js';
import { $, el, setText } from './dom.js';
import { duration, errorText, num, shortId } from './format.js';
import { renderStats } from './stats.js';
/** @import { OutboxRow, Queue, QueuesReport } from './types.js' */

let refreshedAt = 0;
let timer = 0;

/** At most one refresh every 2 s, however busy the stream is. */
export function scheduleOps() {
  if (timer) return;
  timer = setTimeout(
    () => {
      timer = 0;
      refreshOps();
    },
    Math.max(0, refreshedAt + 2000 - Date.now()),
  );
}

/** Each card shows what it could fetch; one failing endpoint leaves the others current. */
export async function refreshOps() {
  refreshedAt = Date.now();
  const [queues, stats, failed] = await Promise.allSettled([api.queues(), api.stats(), api.failedOutbox()]);
  renderQueues(queues.status === 'fulfilled' ? queues.value : null);
  renderStats(stats.status === 'fulfilled' ? stats.value : null);
  renderFailed(failed.status === 'fulfilled' ? failed.value.data : null);
  setText('#ops-time', `Updated ${new Date().toLocaleTimeString()}`);
}

/** @param {Queue} q */
function queueRow(q) {
  const button = el('button', { type: 'button', className: 'secondary', textContent: 'Redrive' });
  button.disabled = !q.dlq.visible;
  button.setAttribute('aria-label', `Redrive ${q.dlq.name} to ${q.name}`);
  button.addEventListener('click', () => redrive(q, button));
  return el(
    'tr',
    {},
    el('th', { scope: 'row', textContent: q.name }),
    el('td', { className: 'num', textContent: num(q.visible) }),
    el('td', { className: 'num', textContent: num(q.inFlight) }),
    el('td', { className: 'num', textContent: num(q.delayed) }),
    el('td', { className: q.dlq.visible ? 'num warn' : 'num', textContent: num(q.dlq.visible) }),
    el('td', {}, button),
  );
}

/** @param {QueuesReport | null} body */
function renderQueues(body) {
  const list = body?.queues ?? [];
  $('#queues tbody').replaceChildren(...(list.length ? list.map(queueRow) : [el('tr', {}, el('td', { colSpan: 6, textContent: '—' }))]));
  const ob = body?.outbox;
  setText('#o-pending', num(ob?.pending));
  setText('#o-failed', num(ob?.failed));
  setText('#o-age', duration(ob?.oldestPendingAgeMs));
  setText('#o-lag', duration(body?.relayLagMs));
  $('#requeue', HTMLButtonElement).disabled = !ob?.failed;
}

/** @param {OutboxRow[] | null} list */
function renderFailed(list) {
  const details = $('#failed-rows');
  details.hidden = !list?.length;
  $('#failed-rows ul').replaceChildren(
    ...(list ?? [])
      .slice(0, 20)
      .map((r) => el('li', { textContent: `${r.type} ${shortId(r.aggregateId)} · ${r.attempts} attempts · ${r.lastError ?? ''}` })),
  );
}

/**
 * Moves a queue's dead letters back onto it.
 * @param {Queue} q
 * @param {HTMLButtonElement} button
 */
async function redrive(q, button) {
  button.disabled = true;
  try {
    const { moved } = await api.redrive(q.name);
    setText('#ops-msg', `Moved ${moved} message(s) from ${q.dlq.name} back to ${q.name}.`);
  } catch (err) {
    setText('#ops-msg', `Redrive failed: ${errorText(err)}`);
  }
  refreshOps();
}

async function requeue() {
  $('#requeue', HTMLButtonElement).disabled = true;
  try {
    const { requeued } = await api.requeueOutbox();
    setText('#ops-msg', `Re-queued ${requeued} outbox row(s).`);
  } catch (err) {
    setText('#ops-msg', `Re-queue failed: ${errorText(err)}`);
  }
  refreshOps();
}

export function bindOps() {
  $('#refresh').addEventListener('click', refreshOps);
  $('#requeue').addEventListener('click', requeue);
}
